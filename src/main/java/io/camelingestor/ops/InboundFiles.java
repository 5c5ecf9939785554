package io.camelingestor.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The files waiting in one inbound folder: what the file source will take (not hidden, not temporary). */
record InboundFiles(long count, Optional<FileTime> oldest) {

    // the names the file sources leave alone (routes/templates/file-source.yaml)
    private static final Pattern IGNORED = Pattern.compile("^\\..*|.*\\.(tmp|part|partial|crdownload|error\\.json)$");

    static InboundFiles in(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return new InboundFiles(0, Optional.empty());
        }
        long count = 0;
        FileTime oldest = null;
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (IGNORED.matcher(file.getFileName().toString()).matches() || !Files.isRegularFile(file)) {
                    continue;
                }
                count++;
                FileTime modified = Files.getLastModifiedTime(file);
                if (oldest == null || modified.compareTo(oldest) < 0) {
                    oldest = modified;
                }
            }
        }
        return new InboundFiles(count, Optional.ofNullable(oldest));
    }
}
