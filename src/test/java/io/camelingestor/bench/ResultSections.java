package io.camelingestor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * bench/results.md is written by several benchmarks, each run on its own: each owns a section between
 * {@code <!-- name:begin -->} and {@code <!-- name:end -->} and rewrites only that one, so that a run of one
 * benchmark keeps the figures of the others.
 */
final class ResultSections {

    static final Path RESULTS = Path.of("bench/results.md");
    private static final String TITLE = "# Benchmark results\n";

    private ResultSections() {}

    /** Replaces section {@code name} of the results file with {@code markdown}, or appends it. */
    static void write(String name, String markdown) throws IOException {
        String begin = "<!-- " + name + ":begin -->";
        String end = "<!-- " + name + ":end -->";
        String section = begin + "\n" + markdown.strip() + "\n\n" + end + "\n";
        String old = Files.exists(RESULTS) ? Files.readString(RESULTS) : TITLE;
        int b = old.indexOf(begin);
        int e = old.indexOf(end);
        String updated = b >= 0 && e > b
                ? old.substring(0, b) + section + old.substring(Math.min(old.length(), e + end.length() + 1))
                : old.stripTrailing() + "\n\n" + section;
        Files.writeString(RESULTS, updated);
    }
}
