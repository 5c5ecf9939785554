package io.camelingestor.core;

import java.util.regex.Pattern;
import org.apache.camel.support.processor.DefaultMaskingFormatter;

/**
 * Masks secrets in text that leaves the process (error reports, dead letters, log lines built from exception
 * messages): Camel's masking of {@code password=...}, {@code "token": "..."} and XML elements (the same as
 * {@code camel.main.log-mask} uses for the tracer and message history), plus the user info of a URL.
 */
public final class Secrets {

    private static final DefaultMaskingFormatter CAMEL = new DefaultMaskingFormatter(true, true, true);
    // written by hand: Camel's formatter knows keys, not URLs; "scheme://user:password@host" keeps the user
    private static final Pattern URL_PASSWORD = Pattern.compile("(\\w+://[^:/@\\s]+:)[^@\\s/]+@");

    private Secrets() {}

    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        return URL_PASSWORD.matcher(CAMEL.format(text)).replaceAll("$1xxxxxx@");
    }
}
