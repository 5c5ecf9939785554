package io.camelingestor.source.file;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.camelingestor.batch.BatchStatus;
import io.camelingestor.core.ExchangeProperties;
import io.camelingestor.core.IngestorProperties;
import io.camelingestor.ingest.reject.FreeNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Lets only regular files inside the data folder into the pipeline. Whoever can write into an inbound folder
 * could otherwise drop a symbolic link (to {@code /etc/shadow}: its first line would reach the report, the
 * dead letter and the log; to {@code /dev/zero}: the folder's thread reads forever), a hard link to a file
 * elsewhere, a named pipe (hashing blocks on opening it and the folder stalls) or a device. Such a file is never opened: it is moved to
 * {@code rejected/<folder>/} with a report that names its kind and nothing of its target.
 *
 * <p>The file source route calls {@link #mustNotBeOpened} before anything opens the file, and {@link #reject}
 * when it is not.
 */
@Component("inboundFileGuard")
public class InboundFileGuard {

    private static final Logger log = LoggerFactory.getLogger(InboundFileGuard.class);

    private final IngestorProperties properties;
    private final ObjectMapper json;

    public InboundFileGuard(IngestorProperties properties, ObjectMapper json) {
        this.properties = properties;
        this.json = json.copy().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /**
     * Whether the file (header {@code CamelFileAbsolutePath}) must not be opened: it is not a regular file, or
     * is a link, or lies outside the data folder.
     */
    public boolean mustNotBeOpened(String path) {
        return kind(Path.of(path)) != null;
    }

    /**
     * Writes {@code rejected/<folder>/<name>.error.json} (status REJECTED, the kind of file) and leaves
     * {@value ExchangeProperties#ARCHIVE_TO}, where the file source moves the file (the link or pipe itself, not
     * what it points at) when the exchange completes.
     *
     * @param folder the inbound folder's name (the route template's dataset parameter)
     */
    public void reject(Exchange exchange, String folder) throws IOException {
        Path file = Path.of(exchange.getIn().getHeader("CamelFileAbsolutePath", String.class));
        String kind = kind(file);
        Path dir = properties.rejected(folder);
        Files.createDirectories(dir);
        String name = FreeNames.in(dir, file.getFileName().toString());
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("file", file.getFileName().toString());
        report.put("dataset", folder);
        report.put("status", BatchStatus.REJECTED.name());
        report.put(
                "reason",
                "not a regular file of its own but " + kind + ": only regular files are read; it was not opened"
                        + " (write the data itself into the folder)");
        report.put("details", Map.of("kind", kind));
        report.put("rejectedAt", Instant.now().toString());
        json.writeValue(dir.resolve(name + ".error.json").toFile(), report);
        log.warn("{} {} REJECTED: {}, not opened", folder, file.getFileName(), kind);
        exchange.setProperty(ExchangeProperties.ARCHIVE_TO, "../../rejected/" + folder + "/" + name);
    }

    /** What the file is when it is not a regular file inside the data folder, or null when it is one. */
    String kind(Path file) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return "a file that cannot be examined";
        }
        if (attributes.isSymbolicLink()) {
            return "a symbolic link";
        }
        if (attributes.isDirectory()) {
            return "a directory";
        }
        if (attributes.isOther()) {
            return otherKind(file);
        }
        if (!inDataFolder(file)) {
            return "a file outside the data folder";
        }
        if (linkedFromElsewhere(file, attributes)) {
            return "a hard link (the file has other names, outside this folder)";
        }
        return null;
    }

    /**
     * Whether the file has names (hard links) outside its folder: through one, a file from anywhere on the same
     * file system (the service's own, when the writer runs as the service) could be read. A file whose every
     * name is in this folder is fine: an upload or a replay is published so (a second name, then the hidden one
     * removed).
     */
    private static boolean linkedFromElsewhere(Path file, BasicFileAttributes attributes) {
        int links;
        try {
            links = (Integer) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false; // no link count on this file system: nothing to tell
        }
        if (links <= 1 || attributes.fileKey() == null) {
            return links > 1;
        }
        long here;
        try (Stream<Path> siblings = Files.list(file.getParent())) {
            here = siblings.filter(sibling -> sameFile(sibling, attributes.fileKey()))
                    .limit(links)
                    .count();
        } catch (IOException e) {
            return true;
        }
        return here < links;
    }

    private static boolean sameFile(Path sibling, Object fileKey) {
        try {
            return fileKey.equals(Files.readAttributes(sibling, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey());
        } catch (IOException e) {
            return false;
        }
    }

    private boolean inDataFolder(Path file) {
        try {
            Path data = properties.dataDir().toRealPath();
            return file.getParent().toRealPath().startsWith(data);
        } catch (IOException e) {
            return false;
        }
    }

    /** The kind of a special file, from its mode's type bits (as stat(2) reports them). */
    private static String otherKind(Path file) {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "a special file";
        }
        return switch (mode & 0170000) {
            case 0010000 -> "a named pipe (FIFO)";
            case 0020000 -> "a character device";
            case 0060000 -> "a block device";
            case 0140000 -> "a socket";
            default -> "a special file";
        };
    }
}
