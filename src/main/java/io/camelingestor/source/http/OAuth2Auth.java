package io.camelingestor.source.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelingestor.core.InputRejectedException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * OAuth2 access tokens from {@code tokenUrl}: the password grant when the source has a {@code username},
 * client credentials otherwise ({@code clientId}/{@code clientSecret} sent as HTTP Basic, RFC 6749 2.3.1).
 * A token is cached per source until {@code expires_in} (less 30 s) and fetched again after a 401, once.
 */
@Component("oauth2Auth")
public class OAuth2Auth implements HttpAuth {

    private final HttpCalls calls;
    private final ObjectMapper json;
    private final TokenCache cache = new TokenCache();

    public OAuth2Auth(HttpCalls calls, ObjectMapper json) {
        this.calls = calls;
        this.json = json;
    }

    @Override
    public void apply(HttpSourceSpec spec, Device device, java.util.function.BiConsumer<String, String> header) {
        header.accept("Authorization", "Bearer " + cache.get(spec.sourceId(), () -> fetch(spec)));
    }

    @Override
    public boolean invalidate(HttpSourceSpec spec, Device device) {
        cache.forget(spec.sourceId());
        return true;
    }

    @Override
    public List<String> runtimeSecrets(HttpSourceSpec spec) {
        return cache.values(spec.sourceId());
    }

    private TokenCache.Token fetch(HttpSourceSpec spec) {
        List<String> form = new ArrayList<>();
        if (spec.credentials().username() != null) {
            form.add("grant_type=password");
            form.add("username=" + encode(spec.credentials().username()));
            form.add("password=" + encode(spec.credentials().password()));
        } else {
            form.add("grant_type=client_credentials");
        }
        if (spec.credentials().scope() != null) {
            form.add("scope=" + encode(spec.credentials().scope()));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(spec.credentials().tokenUrl()))
                .timeout(spec.request().timeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(String.join("&", form)));
        if (spec.credentials().clientId() != null) {
            String pair = encode(spec.credentials().clientId()) + ":"
                    + (spec.credentials().clientSecret() == null
                            ? ""
                            : encode(spec.credentials().clientSecret()));
            request.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        String what = "POST " + spec.credentials().tokenUrl() + " (token)";
        HttpCalls.Response response = calls.send(spec, request.build(), what);
        Redactor redactor = new Redactor(spec.secrets());
        if (response.status() / 100 != 2) {
            throw calls.failure(response, what, redactor);
        }
        try {
            JsonNode body = json.readTree(response.body());
            String token = body.path("access_token").asText(null);
            if (token == null || token.isBlank()) {
                throw new InputRejectedException(what + ": no access_token in the response", Map.of("request", what));
            }
            long expiresIn = body.path("expires_in").asLong(0);
            return new TokenCache.Token(
                    token, expiresIn > 0 ? Instant.now().plusSeconds(Math.max(0, expiresIn - 30)) : null);
        } catch (IOException e) {
            throw new InputRejectedException(what + ": the token response is not JSON", Map.of("request", what), e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
