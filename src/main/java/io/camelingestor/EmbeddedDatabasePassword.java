package io.camelingestor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The password of the embedded PostgreSQL's superuser: generated at the first start into
 * {@code <data-dir>/pgdata.password} (owner-only, {@code rw-------}), read at every later start. The value is
 * never logged. Hand-written: neither zonky nor Spring keeps a generated secret in a file.
 */
final class EmbeddedDatabasePassword {

    static final String FILE_NAME = "pgdata.password";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabasePassword.class);

    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    /** What this class writes (URL-safe Base64 of 32 random bytes); anything else in the file is refused. */
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{24,128}");

    private EmbeddedDatabasePassword() {}

    /** The password kept in {@code file}, created first (owner-only) when there is none. */
    static String readOrCreate(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            try {
                create(file);
                log.info("Generated the embedded PostgreSQL's password into {} (readable by its owner only)", file);
            } catch (FileAlreadyExistsException e) {
                // another start created it in the meantime: use that one
            }
        }
        return read(file);
    }

    static String read(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file + " is not a regular file; it must hold the embedded PostgreSQL's password");
        }
        if (posix(file)) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (!OWNER_ONLY.containsAll(permissions)) {
                log.warn(
                        "{} was readable by others ({}); set it back to owner-only (rw-------)",
                        file,
                        PosixFilePermissions.toString(permissions));
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        String password = lines.isEmpty() ? "" : lines.get(0).strip();
        if (!WELL_FORMED.matcher(password).matches()) {
            throw new IOException(file + " does not hold a password as this service writes it (24 to 128 letters,"
                    + " digits, '-' or '_' on its first line); restore it from a backup of the data folder");
        }
        return password;
    }

    /**
     * Written to a temporary file created owner-only (never readable by others, not even empty), then moved
     * into place atomically: no start ever sees a half-written password.
     */
    private static void create(Path file) throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path directory = file.toAbsolutePath().getParent();
        Path temporary = posix(directory)
                ? Files.createTempFile(
                        directory, "." + FILE_NAME, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(directory, "." + FILE_NAME, ".tmp");
        try {
            Files.writeString(temporary, password, StandardCharsets.US_ASCII);
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(file.toString());
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
        if (!posix(file)) {
            log.warn("{} is on a file system without POSIX permissions: restrict who can read it", file);
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
