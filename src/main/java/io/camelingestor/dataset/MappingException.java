package io.camelingestor.dataset;

import java.nio.file.Path;

/** A mapping file that cannot be used; the message names the file, the line (when known) and the key. */
public class MappingException extends Exception {

    public MappingException(Path file, Integer line, String key, String problem) {
        super(file.getFileName() + (line != null ? " line " + line : "") + (key != null ? ", key '" + key + "'" : "")
                + ": " + problem);
    }

    public MappingException(Path file, String problem, Throwable cause) {
        super(file.getFileName() + ": " + problem, cause);
    }
}
