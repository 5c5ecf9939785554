package io.camelingestor.source.http;

import java.util.Collection;
import java.util.List;

/**
 * Removes secrets (configured tokens and passwords, and tokens obtained at run time) from any text that
 * leaves the fetch: log lines, error messages, dead-letter reports, the URI stored with a batch.
 */
public final class Redactor {

    static final String MASK = "***";

    private final List<String> secrets;

    public Redactor(Collection<String> secrets) {
        // longest first, so that a secret containing another is masked whole
        this.secrets = secrets.stream()
                .filter(s -> s != null && s.length() >= 4)
                .distinct()
                .sorted((a, b) -> b.length() - a.length())
                .toList();
    }

    public String clean(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, MASK);
            String encoded = java.net.URLEncoder.encode(secret, java.nio.charset.StandardCharsets.UTF_8);
            if (!encoded.equals(secret)) {
                out = out.replace(encoded, MASK);
            }
        }
        return out;
    }
}
