package io.camelingestor.source.http;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * How an HTTP source authenticates. The source's {@code auth} template parameter names the Spring bean:
 * {@code noAuth}, {@code headerTokenAuth}, {@code bearerAuth}, {@code basicAuth}, {@code oauth2Auth},
 * {@code loginSessionAuth}; an API with its own scheme gets its own bean implementing this interface.
 */
public interface HttpAuth {

    /**
     * Adds the credentials to a data request as headers ({@code header.accept(name, value)}), logging in or
     * fetching a token first when none is cached.
     */
    void apply(HttpSourceSpec spec, Device device, BiConsumer<String, String> header);

    /**
     * The server refused the credentials (401, or the API's "not logged in" code): forgets what is cached.
     *
     * @return true when asking again with fresh credentials may succeed (a token or session to renew)
     */
    default boolean invalidate(HttpSourceSpec spec, Device device) {
        return false;
    }

    /** Secrets obtained at run time (access tokens, session ids), to keep out of logs and reports. */
    default List<String> runtimeSecrets(HttpSourceSpec spec) {
        return List.of();
    }
}
