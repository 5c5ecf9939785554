package io.camelingestor.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.camelingestor.IngestorIntegrationTest;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Issue 10, low findings: a session cookie with a bogus {@code Authorization} header on {@code /api}, wrong
 * credentials on the public health endpoint, and what anonymous callers learn from {@code /actuator/info}.
 */
class SessionsAndPublicEndpointsTest extends IngestorIntegrationTest {

    /** An admin-only change that answers 409 (a file source cannot be run on demand) once it is allowed. */
    private static final String CHANGE = "/api/sources/files.energy_hourly/run";

    @LocalServerPort
    int port;

    @Test
    void aSessionCookieNeedsTheCsrfTokenWhateverAuthorizationHeaderComesWithIt() throws Exception {
        Http http = new Http(port);
        String session =
                JolokiaChangesNothingForViewersOrOtherSitesTest.formLogin(http, "admin", "it-admin-secret-3c9e");
        for (String header : List.of(
                "Bearer bogus",
                "Basic " + basic("admin:not-the-password"),
                "Basic " + basic("nobody:x"),
                "Basic !!!",
                "Negotiate abc")) {
            Http.Response response = http.send(http.request(CHANGE, null)
                    .header("Cookie", session)
                    .header("Authorization", header)
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build());
            assertThat(response.status())
                    .as("session cookie with 'Authorization: " + header + "' and no CSRF token: " + response.body())
                    .isIn(401, 403);
        }
        // the session is valid: with its CSRF token the same change is allowed
        String token = JolokiaChangesNothingForViewersOrOtherSitesTest.csrfToken(http, Http.ADMIN);
        Http.Response withToken = http.send(http.request(CHANGE, null)
                .header("Cookie", session + "; XSRF-TOKEN=" + token)
                .header("X-XSRF-TOKEN", token)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(withToken.status()).as(withToken.body()).isEqualTo(409);
        // a client authenticated by HTTP Basic alone (no session) needs no token
        assertThat(http.post(CHANGE, Http.ADMIN).status()).isEqualTo(409);
        assertThat(http.post(CHANGE, "admin:not-the-password").status()).isEqualTo(401);
    }

    @Test
    void wrongCredentialsOnHealthGetThePublicStatus() throws Exception {
        Http http = new Http(port);
        for (String path : List.of("/actuator/health", "/actuator/health/liveness")) {
            Http.Response anonymous = http.get(path, null);
            Http.Response wrong = http.get(path, "health-probe:wrong-password");
            assertThat(wrong.status()).as(path + ": " + wrong.body()).isEqualTo(anonymous.status());
            assertThat(wrong.json().path("status").asText())
                    .isEqualTo(anonymous.json().path("status").asText());
            assertThat(wrong.body()).doesNotContain("components").doesNotContain("details");
        }
        // and the right credentials still show the details
        assertThat(http.get("/actuator/health", Http.VIEWER).body()).contains("components");
        // wrong passwords on health still count as wrong passwords (health is no unthrottled way to guess one):
        // once the account is throttled, health goes on answering its public status, and the API refuses it
        String guesser = "guesser-" + port + ":wrong";
        for (int i = 0; i < 8; i++) {
            Http.Response guess = http.get("/actuator/health", guesser);
            assertThat(guess.status()).as(guess.body()).isIn(200, 503);
            assertThat(guess.body()).doesNotContain("components");
        }
        assertThat(http.get("/api/batches", guesser).status()).isEqualTo(429);
    }

    @Test
    void anonymousCallersLearnNoVersions() throws Exception {
        Http http = new Http(port);
        Http.Response viewer = http.get("/actuator/info", Http.VIEWER);
        assertThat(viewer.status()).isEqualTo(200);
        Http.Response anonymous = http.get("/actuator/info", null);
        assertThat(anonymous.body()).doesNotContainPattern("\\d+\\.\\d+\\.\\d+").doesNotContainIgnoringCase("version");
        assertThat(anonymous.status()).isEqualTo(401);
        for (String path : List.of("/actuator/health", "/actuator/health/readiness")) {
            assertThat(http.get(path, null).body()).doesNotContainPattern("\\d+\\.\\d+\\.\\d+");
        }
    }

    private static String basic(String credentials) {
        return Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }
}
