package io.camelingestor.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * What a typical Camel route does with the same file, for comparison only: split the file per line and send one
 * {@code sql:} insert per record through a pooled DataSource (autocommit, one round trip and one commit per row).
 */
final class NaiveCamelRoute {

    private NaiveCamelRoute() {}

    /** @return seconds from the route's start until every row of the file is in the table */
    static double measure(String jdbcUrl, String password, Connection db, Path file, String device, long rows)
            throws Exception {
        Path folder = Files.createDirectories(file.resolveSibling("naive"));
        Files.copy(file, folder.resolve(file.getFileName()));
        try (HikariDataSource dataSource = new HikariDataSource();
                DefaultCamelContext camel = new DefaultCamelContext()) {
            dataSource.setJdbcUrl(jdbcUrl);
            dataSource.setUsername("postgres");
            dataSource.setPassword(password);
            dataSource.setMaximumPoolSize(2);
            camel.getRegistry().bind("db", dataSource);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("file:" + folder.toAbsolutePath() + "?noop=true")
                            .split(body().tokenize("\n"))
                            .streaming()
                            .filter(e -> {
                                String line = e.getMessage().getBody(String.class);
                                return !line.isBlank() && !line.startsWith("Date and Time");
                            })
                            .process(e -> {
                                String[] fields =
                                        e.getMessage().getBody(String.class).split(",");
                                e.getMessage().setHeader("device", device);
                                e.getMessage().setHeader("ts", fields[0]);
                                e.getMessage().setHeader("kwh", Double.parseDouble(fields[1]));
                            })
                            .to("sql:INSERT INTO fact_energy_hourly (device_id, ts, energy_kwh)"
                                    + " VALUES (:#device, CAST(:#ts AS timestamptz), :#kwh)"
                                    + " ON CONFLICT (device_id, ts) DO UPDATE SET energy_kwh = EXCLUDED.energy_kwh"
                                    + "?dataSource=#db");
                }
            });
            long t0 = System.nanoTime();
            camel.start();
            try (PreparedStatement count =
                    db.prepareStatement("SELECT count(*) FROM fact_energy_hourly WHERE device_id = ?")) {
                count.setString(1, device);
                while (true) {
                    try (ResultSet rs = count.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) >= rows) {
                            return (System.nanoTime() - t0) / 1e9;
                        }
                    }
                    if (System.nanoTime() - t0 > 30L * 60 * 1_000_000_000L) {
                        throw new IllegalStateException("the naive route did not finish in 30 minutes");
                    }
                    Thread.sleep(100);
                }
            }
        }
    }
}
