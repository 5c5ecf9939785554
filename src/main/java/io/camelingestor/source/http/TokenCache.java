package io.camelingestor.source.http;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** Access tokens and session ids per source, kept until they expire or the server refuses them. */
final class TokenCache {

    record Token(String value, Instant expires) {}

    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    String get(String sourceId, Supplier<Token> fetch) {
        Token token = tokens.get(sourceId);
        if (token == null || token.expires() != null && Instant.now().isAfter(token.expires())) {
            token = fetch.get();
            tokens.put(sourceId, token);
        }
        return token.value();
    }

    void forget(String sourceId) {
        tokens.remove(sourceId);
    }

    List<String> values(String sourceId) {
        Token token = tokens.get(sourceId);
        return token == null ? List.of() : List.of(token.value());
    }
}
