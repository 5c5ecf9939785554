package io.camelingestor.core;

/**
 * The message headers the routes and the beans pass each other (besides Camel's own {@code Camel...} headers),
 * with who sets and reads them. Like {@link ExchangeProperties}, {@code ExchangePropertiesTest} fails the build
 * when a route under {@code routes/} uses a header not declared here.
 */
public final class ExchangeHeaders {

    /**
     * String: the HTTP source being run; set by the source route's {@code which-source} step (its route id),
     * read by {@code httpSources.begin}, the throttle's correlation and the log lines; never sent to an API.
     */
    public static final String SOURCE_ID = "sourceId";

    /**
     * Boolean: an operator's "run now" (set by {@code httpSources.fire}); the source route then runs around its
     * circuit. Never sent to an API (filtered out of camel-http's headers).
     */
    public static final String HTTP_SOURCE_RUN_NOW = "httpSourceRunNow";

    private ExchangeHeaders() {}
}
