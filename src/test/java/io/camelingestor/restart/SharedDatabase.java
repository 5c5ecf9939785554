package io.camelingestor.restart;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** One PostgreSQL in the test JVM that several {@link ChildIngestor} replicas share, as an external one. */
final class SharedDatabase implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    final JdbcTemplate jdbc;
    private final String user;
    private final String password;

    private SharedDatabase(EmbeddedPostgres postgres, String user, String password) {
        this.postgres = postgres;
        this.user = user;
        this.password = password;
        this.jdbc = new JdbcTemplate(new SingleConnectionDataSource(url(), true));
    }

    /** Starts it with a login role for the replicas (a password, as the application needs one). */
    static SharedDatabase start(String user, String password) throws IOException {
        SharedDatabase db = new SharedDatabase(EmbeddedPostgres.builder().start(), user, password);
        db.jdbc.execute("CREATE ROLE " + user + " LOGIN PASSWORD '" + password + "' SUPERUSER");
        return db;
    }

    private String url() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /** The environment that points a replica at it, plus {@code more}. */
    Map<String, String> env(Map<String, String> more) {
        Map<String, String> env = new HashMap<>(more);
        env.put("SPRING_DATASOURCE_URL", url());
        env.put("SPRING_DATASOURCE_USERNAME", user);
        env.put("SPRING_DATASOURCE_PASSWORD", password);
        return env;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
