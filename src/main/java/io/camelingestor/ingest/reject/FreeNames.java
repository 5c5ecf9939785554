package io.camelingestor.ingest.reject;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A name for a kept payload that no kept payload has yet, so that one never replaces another: {@code clash.csv},
 * then {@code clash.1.csv}, {@code clash.2.csv}, ... (the extension kept, so that the file is read as before
 * when replayed). Its report ({@code <name>.error.json}) must be free too.
 */
public final class FreeNames {

    private FreeNames() {}

    /** The first of name, stem.1.ext, stem.2.ext, ... that is free in dir (neither it nor its report exists). */
    public static String in(Path dir, String name) {
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        String candidate = name;
        for (int n = 1; taken(dir, candidate); n++) {
            candidate = stem + "." + n + extension;
        }
        return candidate;
    }

    private static boolean taken(Path dir, String name) {
        return Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS)
                || Files.exists(dir.resolve(name + ".error.json"), LinkOption.NOFOLLOW_LINKS);
    }
}
