package io.camelingestor.web;

import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;

/**
 * The name an uploaded file is stored under: its last path segment only (no way out of the inbound folder),
 * characters other than letters, digits, '.', '-' and '_' replaced by '_', and no leading dots (the file
 * sources skip hidden files).
 */
final class UploadNames {

    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");
    // the names the file sources leave alone (see routes/templates/file-source.yaml): such an upload would wait forever
    private static final Pattern IGNORED = Pattern.compile(".*\\.(tmp|part|partial|crdownload|error\\.json)$");
    private static final int MAX_LENGTH = 200;

    private UploadNames() {}

    static String sanitise(String original) {
        if (original == null || original.isBlank()) {
            throw bad(original, "the upload has no file name");
        }
        String name = original.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1);
        name = UNSAFE.matcher(name).replaceAll("_");
        name = name.replaceFirst("^\\.+", "");
        if (name.length() > MAX_LENGTH) {
            name = name.substring(name.length() - MAX_LENGTH);
        }
        if (name.isEmpty() || name.chars().allMatch(c -> c == '_' || c == '.')) {
            throw bad(original, "nothing usable is left of the name");
        }
        if (IGNORED.matcher(name.toLowerCase(Locale.ROOT)).matches()) {
            throw bad(
                    original, "inbound folders ignore names ending in .tmp, .part, .partial, .crdownload, .error.json");
        }
        return name;
    }

    private static ApiException bad(String original, String why) {
        return new ApiException(HttpStatus.BAD_REQUEST, "bad file name", "'" + original + "': " + why);
    }
}
