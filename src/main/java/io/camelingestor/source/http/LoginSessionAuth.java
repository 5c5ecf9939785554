package io.camelingestor.source.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelingestor.core.InputRejectedException;
import java.io.IOException;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * A login call, then the session token in a header of every request: FusionSolar ({@code POST
 * /thirdData/login}, the {@code XSRF-TOKEN} cookie sent back as the header {@code XSRF-TOKEN}) and Airbeld
 * ({@code POST /auth/token/}, {@code accessToken} sent as a bearer token).
 *
 * <p>{@code loginBody} is a JSON template where {@code {username}} and {@code {password}} are replaced
 * (JSON-escaped); {@code sessionTokenFrom} is {@code cookie:<name>}, {@code header:<name>} or
 * {@code json:<JSON pointer>}; the token goes into {@code sessionHeader}, after {@code sessionPrefix}. The
 * session is kept per source until the server refuses it (401 or one of {@code reloginCodes}); then the
 * login is made again, once.
 */
@Component("loginSessionAuth")
public class LoginSessionAuth implements HttpAuth {

    private final HttpCalls calls;
    private final ObjectMapper json;
    private final TokenCache cache = new TokenCache();

    public LoginSessionAuth(HttpCalls calls, ObjectMapper json) {
        this.calls = calls;
        this.json = json;
    }

    @Override
    public void apply(HttpSourceSpec spec, Device device, java.util.function.BiConsumer<String, String> header) {
        String token = cache.get(spec.sourceId(), () -> login(spec));
        header.accept(spec.credentials().sessionHeader(), spec.credentials().sessionPrefix() + token);
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

    private TokenCache.Token login(HttpSourceSpec spec) {
        String url = spec.request().baseUrl() + spec.credentials().loginPath();
        String body = spec.credentials()
                .loginBody()
                .replace("{username}", jsonEscape(spec.credentials().username()))
                .replace("{password}", jsonEscape(spec.credentials().password()));
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(spec.request().timeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        String what = "POST " + url + " (login)";
        HttpCalls.Response response = calls.send(spec, request, what);
        Redactor redactor = new Redactor(spec.secrets());
        if (response.status() / 100 != 2) {
            throw calls.failure(response, what, redactor);
        }
        String from = spec.credentials().sessionTokenFrom();
        String token = null;
        if (from.startsWith("cookie:")) {
            String name = from.substring("cookie:".length());
            for (String header : response.headers().allValues("Set-Cookie")) {
                for (HttpCookie cookie : HttpCookie.parse(header)) {
                    if (cookie.getName().equals(name)) {
                        token = cookie.getValue();
                    }
                }
            }
        } else if (from.startsWith("header:")) {
            token = response.headers()
                    .firstValue(from.substring("header:".length()))
                    .orElse(null);
        } else if (from.startsWith("json:")) {
            try {
                JsonNode node = json.readTree(response.body()).at(from.substring("json:".length()));
                token = node.isValueNode() ? node.asText() : null;
            } catch (IOException e) {
                throw new InputRejectedException(what + ": the login response is not JSON", Map.of("request", what), e);
            }
        } else {
            throw new IllegalArgumentException("source " + spec.sourceId()
                    + ": sessionTokenFrom must be cookie:<name>, header:<name> or json:<pointer>");
        }
        if (token == null || token.isBlank()) {
            throw new InputRejectedException(
                    what + ": login answered HTTP " + response.status() + " without a session token (" + from + "): "
                            + redactor.clean(HttpCalls.excerpt(response.body())),
                    Map.of("request", what));
        }
        return new TokenCache.Token(token, null);
    }

    private static String jsonEscape(String value) {
        if (value == null) {
            return "";
        }
        String quoted = new String(
                com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(value));
        return quoted;
    }
}
