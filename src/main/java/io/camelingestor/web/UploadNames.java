package io.camelingestor.web;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;

/**
 * The name an uploaded file is stored under: its last path segment only (no way out of the inbound folder),
 * Unicode-normalised (NFC: an "é" sent as e + accent is the "é" of every other system), letters, marks and
 * digits of any script kept, and '.', '-', '_'; anything else replaced by '_'; no leading dots (the file sources
 * skip hidden files). At most {@value #MAX_BYTES} bytes in UTF-8: the hidden name an upload is written under
 * first ({@code .upload-<uuid>-<name>}) must stay within the 255 bytes a file name may have.
 *
 * <p>Letters are kept so that two different names never become the same file ({@code αβγ.csv} and {@code
 * δεζ.csv} both became {@code ___.csv}). Where the JVM writes file names in a charset without them (a POSIX
 * locale: {@code sun.jnu.encoding} ASCII), they are replaced by '_' and the name gets a short digest of the
 * original, which keeps different names apart there too.
 */
final class UploadNames {

    static final int MAX_BYTES = 200;

    private static final Pattern UNSAFE = Pattern.compile("[^\\p{L}\\p{M}\\p{N}._-]");
    private static final Pattern NOT_ASCII = Pattern.compile("[^A-Za-z0-9._-]");
    // the names the file sources leave alone (see routes/templates/file-source.yaml): such an upload would wait forever
    private static final Pattern IGNORED = Pattern.compile(".*\\.(tmp|part|partial|crdownload|error\\.json)$");

    private UploadNames() {}

    static String sanitise(String original) {
        return sanitise(original, fileNameCharset());
    }

    static String sanitise(String original, Charset fileNames) {
        if (original == null || original.isBlank()) {
            throw bad(original, "the upload has no file name");
        }
        String name = Normalizer.normalize(original.replace('\\', '/'), Normalizer.Form.NFC);
        name = name.substring(name.lastIndexOf('/') + 1);
        name = UNSAFE.matcher(name).replaceAll("_");
        name = name.replaceFirst("^\\.+", "");
        if (!fileNames.newEncoder().canEncode(name)) {
            name = withDigest(NOT_ASCII.matcher(name).replaceAll("_"), name);
        }
        if (name.isEmpty() || name.chars().allMatch(c -> c == '_' || c == '.')) {
            throw bad(original, "nothing usable is left of the name");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw tooLong(bytes + " bytes in UTF-8");
        }
        if (IGNORED.matcher(name.toLowerCase(Locale.ROOT)).matches()) {
            throw bad(
                    original, "inbound folders ignore names ending in .tmp, .part, .partial, .crdownload, .error.json");
        }
        return name;
    }

    /** Refuses a name too long to be a file name, without repeating it; {@code length} says how long it is. */
    static ApiException tooLong(String length) {
        return new ApiException(
                HttpStatus.BAD_REQUEST,
                "bad file name",
                "name too long (max " + MAX_BYTES + " bytes): this one has " + length);
    }

    /** {@code stem-<8 hex digits>.ext}: the digest of the name as sent keeps different names apart. */
    private static String withDigest(String replaced, String sent) {
        String digest;
        try {
            digest = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(sent.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
        int dot = replaced.lastIndexOf('.');
        return dot > 0 ? replaced.substring(0, dot) + "-" + digest + replaced.substring(dot) : replaced + "-" + digest;
    }

    /** The charset the JVM writes file names in (from the locale it started in). */
    private static Charset fileNameCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return StandardCharsets.US_ASCII;
        }
    }

    private static ApiException bad(String original, String why) {
        return new ApiException(HttpStatus.BAD_REQUEST, "bad file name", "'" + original + "': " + why);
    }
}
