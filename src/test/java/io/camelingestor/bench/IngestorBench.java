package io.camelingestor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.camelingestor.bench.BenchInputs.Input;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The throughput benchmark ({@code ./mvnw -Pbench verify} or {@code bench/run.sh}; not part of the test suite).
 * Generates the inputs, starts the packaged application with a small heap, and for each input measures the
 * floor (COPY + keyed INSERT of its valid rows on the application's own database) and the whole pipeline (file
 * renamed into its inbound folder → batch ended), several times each; prints the figures and writes them to
 * {@code bench/results.md}. Sizes and repetitions are system properties ({@code -Dbench.rows=...}, see below)
 * so that a quick run is possible; the committed results come from the defaults.
 */
class IngestorBench {

    private static final long ROWS = Long.getLong("bench.rows", 1_000_000);
    private static final long BIG_ROWS = Long.getLong("bench.big-rows", 10_000_000);
    private static final int SMALL_FILES = Integer.getInteger("bench.small-files", 500);
    private static final int TINY_FILES = Integer.getInteger("bench.tiny-files", 5000);
    private static final int XLSX_ROWS = Integer.getInteger("bench.xlsx-rows", 200_000);
    private static final int NAIVE_ROWS = Integer.getInteger("bench.naive-rows", 20_000);
    private static final int RUNS = Integer.getInteger("bench.runs", 3);
    private static final String HEAP = System.getProperty("bench.heap", "256m");
    private final BenchDatabase database = BenchDatabase.fromSystemProperties();

    /** The figures of one input. */
    record Result(Input input, List<Floor.Timing> floors, List<Run> runs, double peakHeapMb, String note) {

        double floorMedian() {
            return median(floors.stream().mapToDouble(Floor.Timing::total).toArray());
        }

        double pipelineMedian() {
            return median(runs.stream().mapToDouble(Run::seconds).toArray());
        }
    }

    /** One pipeline run: seconds from the rename to the last batch ended, and where the time went. */
    record Run(Instant from, Instant to, double seconds, double stageSeconds, double loadSeconds, long loaded) {}

    @Test
    void measure() throws Exception {
        Path jar =
                Path.of(System.getProperty("bench.jar", "target/ingestor.jar")).toAbsolutePath();
        assertThat(jar).as("the packaged application (./mvnw package)").exists();
        Path work = Path.of("target/bench").toAbsolutePath();
        deleteTree(work);
        BenchInputs generate = new BenchInputs(work.resolve("inputs"));
        List<Input> inputs = new ArrayList<>();
        log("generating inputs in " + work.resolve("inputs"));
        // a size of 0 leaves that input out (a quick run of some inputs only)
        if (ROWS > 0) {
            inputs.add(generate.csv("valid-" + ROWS, ROWS, 0));
            inputs.add(generate.csv("invalid5pct-" + ROWS, ROWS, 20));
        }
        if (XLSX_ROWS > 0) {
            inputs.add(generate.xlsx("xlsx-" + XLSX_ROWS, XLSX_ROWS));
        }
        Input hundreds =
                SMALL_FILES > 0 ? generate.smallFiles("small-" + SMALL_FILES + "x100", SMALL_FILES, 100) : null;
        if (hundreds != null) {
            inputs.add(hundreds);
        }
        if (TINY_FILES > 0) {
            inputs.add(generate.smallFiles("small-" + TINY_FILES + "x10", TINY_FILES, 10));
        }
        Input big = BIG_ROWS > 0 ? generate.csv("valid-" + BIG_ROWS, BIG_ROWS, 0) : null;
        Input naiveInput = NAIVE_ROWS > 0 ? generate.csv("naive-" + NAIVE_ROWS, NAIVE_ROWS, 0) : null;

        List<Result> results = new ArrayList<>();
        double naiveSeconds = -1;
        String postgres;
        // the default: ingestor.workers=2
        try (RunningIngestor app = RunningIngestor.start(jar, work.resolve("app"), HEAP, List.of(), database.env());
                Connection db = database.connect(app)) {
            postgres = queryString(db, "SHOW server_version");
            for (Input input : inputs) {
                results.add(measure(app, db, input, RUNS, input.files().size() > 1 ? "2 workers" : ""));
            }
            if (big != null) {
                results.add(measure(app, db, big, 1, ""));
            }
            if (!database.external() && naiveInput != null) {
                reset(db);
                log("naive Camel route on " + NAIVE_ROWS + " rows");
                naiveSeconds = NaiveCamelRoute.measure(
                        db.getMetaData().getURL(),
                        app.databasePassword(),
                        db,
                        naiveInput.files().get(0),
                        naiveInput.files().get(0).getFileName().toString().substring(0, 24),
                        NAIVE_ROWS);
            }
            Files.copy(work.resolve("app/ingestor.log"), work.resolve("ingestor-bench.log"));
        }
        results = withHeapPeaks(results, work.resolve("app/ingestor.jfr"));
        // the same small files with one worker, to show what the second one brings
        if (hundreds != null) {
            List<Result> oneWorker = new ArrayList<>();
            try (RunningIngestor app = RunningIngestor.start(
                            jar, work.resolve("app-1-worker"), HEAP, List.of("--ingestor.workers=1"), database.env());
                    Connection db = database.connect(app)) {
                oneWorker.add(measure(app, db, hundreds, RUNS, "1 worker"));
            }
            results.addAll(withHeapPeaks(oneWorker, work.resolve("app-1-worker/ingestor.jfr")));
        }
        String report = report(results, naiveSeconds, postgres);
        System.out.println(report);
        // the other benchmarks' figures (the other database, the replicas) are their own runs': kept as they are
        ResultSections.write(database.external() ? "pipeline-external" : "pipeline-embedded", report);
    }

    private static List<Result> withHeapPeaks(List<Result> results, Path recording) throws IOException {
        HeapPeaks heap = new HeapPeaks(recording);
        return new ArrayList<>(results.stream()
                .map(r -> new Result(
                        r.input(),
                        r.floors(),
                        r.runs(),
                        r.runs().stream()
                                .mapToDouble(run -> heap.peakMb(run.from(), run.to()))
                                .max()
                                .orElse(-1),
                        r.note()))
                .toList());
    }

    private Result measure(RunningIngestor app, Connection db, Input input, int runs, String note) throws Exception {
        List<Floor.Timing> floors = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            reset(db);
            // many files: each file's own COPY + INSERT, one transaction per file, one after another
            floors.add(
                    input.files().size() > 1
                            ? Floor.measurePerFile(db, input.floorCsvPerFile())
                            : Floor.measure(db, input.floorCsv()));
            log(input.name() + " floor " + (i + 1) + ": " + floors.get(i));
        }
        List<Run> measured = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            reset(db);
            measured.add(ingest(app, db, input));
            log(input.name() + " pipeline " + (i + 1) + ": " + measured.get(i));
        }
        return new Result(input, floors, measured, 0, note);
    }

    /** Drops the input's files as writers should (temporary name, then rename) and waits for every batch. */
    private Run ingest(RunningIngestor app, Connection db, Input input) throws Exception {
        Path inbound = app.inbound("energy_hourly");
        List<Path> staged = new ArrayList<>();
        for (Path file : input.files()) {
            staged.add(Files.copy(file, inbound.resolve(file.getFileName() + ".tmp")));
        }
        Instant from = Instant.now();
        for (Path tmp : staged) {
            String name = tmp.getFileName().toString();
            Files.move(tmp, tmp.resolveSibling(name.substring(0, name.length() - 4)), StandardCopyOption.ATOMIC_MOVE);
        }
        long deadline = System.nanoTime() + 30L * 60 * 1_000_000_000L;
        while (true) {
            try (Statement s = db.createStatement();
                    ResultSet rs = s.executeQuery(
                            """
                            SELECT count(*), max(finished_at), coalesce(sum(rows_loaded), 0),
                                   string_agg(DISTINCT status, ',')
                            FROM ingest_batch WHERE status <> 'RUNNING'""")) {
                rs.next();
                if (rs.getLong(1) >= input.files().size()) {
                    assertThat(rs.getString(4)).as("status of " + input.name()).isEqualTo(input.expectedStatus());
                    Instant to = rs.getTimestamp(2).toInstant();
                    return new Run(
                            from,
                            to,
                            (to.toEpochMilli() - from.toEpochMilli()) / 1000.0,
                            stageSeconds(db, "stage"),
                            stageSeconds(db, "load"),
                            rs.getLong(3));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(input.name() + " did not end in 30 minutes:\n" + app.log());
            }
            Thread.sleep(50);
        }
    }

    private static double stageSeconds(Connection db, String stage) throws SQLException {
        try (var s = db.prepareStatement(
                "SELECT coalesce(sum(extract(epoch FROM finished_at - started_at)), 0) FROM pipeline_execution"
                        + " WHERE stage = ?")) {
            s.setString(1, stage);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getDouble(1);
            }
        }
    }

    /** Every run starts from empty tables and a checkpoint, so that none pays for the one before. */
    private static void reset(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS bench_floor_staging"
                    + " (device_id text, ts timestamptz, energy_kwh double precision)");
            s.execute("TRUNCATE ingest_batch, pipeline_execution, data_quality_check, dead_letter,"
                    + " fact_energy_hourly, staging_energy_hourly, bench_floor_staging");
            s.execute("CHECKPOINT");
        }
    }

    private String report(List<Result> results, double naiveSeconds, String postgres) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("## Pipeline against the floor, ")
                .append(database.external() ? "external PostgreSQL" : "embedded PostgreSQL")
                .append("\n\n");
        md.append("Written by `./mvnw -Pbench verify` (`bench/run.sh`) on ")
                .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                        Instant.now().atOffset(ZoneOffset.UTC).withNano(0)))
                .append(" UTC: ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cores, ")
                .append(memTotalGb())
                .append(" GB RAM, Java ")
                .append(System.getProperty("java.version"))
                .append(", PostgreSQL ")
                .append(postgres)
                .append(", ")
                .append(database.describe())
                .append(", fsync and synchronous_commit on; application heap -Xmx")
                .append(HEAP)
                .append(".\n\n");
        md.append("Pipeline: from the file renamed into `inbound/energy_hourly/` to its batch ended")
                .append(" (read, coerce, validate, stage raw and coerced values, load, bookkeeping), median of the")
                .append(" runs. Floor: `COPY` of the same valid rows into a typed table + `INSERT … SELECT … ON")
                .append(" CONFLICT DO UPDATE` into `fact_energy_hourly`, each committed, on the same database,")
                .append(" median of as many runs; for many files, per file: each file's rows copied and inserted in")
                .append(" a transaction of their own, one file after another in one session. Both start from empty")
                .append(" tables after a `CHECKPOINT`. Workers: `ingestor.workers` (2 is the default).\n\n");
        md.append("| input | rows | floor s (COPY + INSERT) | pipeline s (runs) | stage + load s | rows/s |")
                .append(" ratio to floor | peak heap MB |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            Run median = r.runs().stream()
                    .sorted((a, b) -> Double.compare(a.seconds(), b.seconds()))
                    .toList()
                    .get(r.runs().size() / 2);
            Floor.Timing floor = r.floors().stream()
                    .sorted((a, b) -> Double.compare(a.total(), b.total()))
                    .toList()
                    .get(r.floors().size() / 2);
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %,d | %.2f (%.2f + %.2f) | **%.2f** (%s) | %.2f + %.2f | %,.0f | **%.2f×** | %s |%n",
                    r.input().name() + " (" + r.input().files().size() + " file"
                            + (r.input().files().size() > 1 ? "s" : "")
                            + (r.note().isEmpty() ? "" : ", " + r.note()) + ")",
                    r.input().rows(),
                    floor.total(),
                    floor.copySeconds(),
                    floor.insertSeconds(),
                    r.pipelineMedian(),
                    r.runs().stream()
                            .map(x -> String.format(Locale.ROOT, "%.2f", x.seconds()))
                            .collect(Collectors.joining(", ")),
                    median.stageSeconds(),
                    median.loadSeconds(),
                    r.input().rows() / r.pipelineMedian(),
                    r.pipelineMedian() / r.floorMedian(),
                    r.peakHeapMb() < 0 ? "no GC ran" : String.format(Locale.ROOT, "%.0f", r.peakHeapMb())));
        }
        if (naiveSeconds > 0)
            md.append(String.format(
                    Locale.ROOT,
                    "%nNaive Camel route for comparison (file split per line, one `sql:` insert per record through a"
                            + " pooled DataSource): %,d rows in %.2f s = %,.0f rows/s.%n",
                    NAIVE_ROWS,
                    naiveSeconds,
                    NAIVE_ROWS / naiveSeconds));
        return md.toString();
    }

    private static String memTotalGb() throws IOException {
        Path meminfo = Path.of("/proc/meminfo");
        if (!Files.exists(meminfo)) {
            return "?";
        }
        try (Stream<String> lines = Files.lines(meminfo)) {
            return lines.filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> String.format(
                            Locale.ROOT, "%.1f", Long.parseLong(l.replaceAll("\\D", "")) / (1024.0 * 1024.0)))
                    .findFirst()
                    .orElse("?");
        }
    }

    private static String queryString(Connection db, String sql) throws SQLException {
        try (Statement s = db.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static void log(String message) {
        System.out.println("[bench] " + message);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p :
                    paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
