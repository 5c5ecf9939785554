package io.camelingestor.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.camelingestor.IngestorIntegrationTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Who may do what, over real HTTP: anonymous, viewer and admin against every endpoint family (API reads and
 * changes, actuator, Hawtio, Jolokia).
 */
class SecurityMatrixTest extends IngestorIntegrationTest {

    @LocalServerPort
    int port;

    private static final List<String> PUBLIC =
            List.of("/actuator/health", "/actuator/health/readiness", "/actuator/health/liveness");

    private static final List<String> READS = List.of(
            "/api/batches",
            "/api/dead-letters",
            "/api/sources",
            "/api/datasets",
            "/api/cluster",
            "/api/openapi.json",
            "/actuator/prometheus",
            "/actuator/metrics",
            "/actuator/info");

    private static final List<String> CHANGES =
            List.of("/api/dead-letters/999999999/replay", "/api/sources/files.energy_hourly/run");

    private static final List<String> CONSOLE =
            List.of("/actuator/hawtio/", "/actuator/jolokia/read/java.lang:type=Memory/HeapMemoryUsage");

    @Test
    void publicEndpointsNeedNoLogin() throws Exception {
        Http http = new Http(port);
        for (String path : PUBLIC) {
            assertThat(http.get(path, null).status()).as(path).isEqualTo(200);
        }
        for (String path : List.of("/actuator/health", "/actuator/health/inbound")) {
            assertThat(http.get(path, null).body())
                    .as("no details for anonymous callers")
                    .doesNotContain("components")
                    .doesNotContain("details");
            assertThat(http.get(path, Http.VIEWER).body()).contains("components");
        }
    }

    @Test
    void anonymousCallersMustLogIn() throws Exception {
        Http http = new Http(port);
        for (String path : concat(READS, CONSOLE)) {
            assertThat(http.get(path, null).status()).as(path).isEqualTo(401);
        }
        for (String path : CHANGES) {
            assertThat(http.post(path, null).status()).as(path).isIn(401, 403);
        }
        assertThat(http.upload("/api/datasets/energy_hourly/files", null, "x.csv", new byte[] {1})
                        .status())
                .isIn(401, 403);
        assertThat(http.get("/api/batches", "admin:wrong-password").status()).isEqualTo(401);
    }

    @Test
    void viewerReadsButChangesNothing() throws Exception {
        Http http = new Http(port);
        for (String path : READS) {
            assertThat(http.get(path, Http.VIEWER).status()).as(path).isEqualTo(200);
        }
        // the viewer sees which properties are set, never their values
        assertThat(http.get("/actuator/env/ingestor.security.viewer-password", Http.VIEWER)
                        .body())
                .contains("******")
                .doesNotContain("it-viewer-secret-7a1f");
        assertThat(http.get("/actuator/env/ingestor.data-dir", Http.VIEWER).body())
                .doesNotContain("it-data");
        for (String path : CHANGES) {
            assertThat(http.post(path, Http.VIEWER).status()).as(path).isEqualTo(403);
        }
        assertThat(http.upload("/api/datasets/energy_hourly/files", Http.VIEWER, "x.csv", new byte[] {1})
                        .status())
                .isEqualTo(403);
        // Hawtio: a viewer looks, but Jolokia only lets it read
        for (String path : CONSOLE) {
            assertThat(http.get(path, Http.VIEWER).status()).as(path).isEqualTo(200);
        }
        assertThat(refused(http.get("/actuator/jolokia/exec/java.lang:type=Memory/gc", Http.VIEWER)))
                .isTrue();
        String token = csrfToken(http, Http.VIEWER);
        assertThat(jolokia(http, Http.VIEWER, token, READ).status()).isEqualTo(200);
        assertThat(refused(jolokia(http, Http.VIEWER, token, GC))).isTrue();
        // in a bulk request, each request is judged alone: the read is answered, the stop refused
        Http.Response bulk = jolokia(http, Http.VIEWER, token, "[" + READ + "," + STOP_ROUTE + "]");
        assertThat(bulk.json().path(0).path("status").asInt()).as(bulk.body()).isEqualTo(200);
        assertThat(bulk.json().path(1).path("status").asInt()).as(bulk.body()).isEqualTo(403);
        assertThat(refused(jolokia(http, Http.VIEWER, token, STOP_ROUTE))).isTrue();
        // only the operations Hawtio needs that only answer (route dumps and statistics, canInvoke) are allowed;
        // any other, even one that only answers, is refused (JolokiaRestrictor's allow-list)
        Http.Response find = jolokia(
                http,
                Http.VIEWER,
                token,
                "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Threading\",\"operation\":\"findDeadlockedThreads()\"}");
        assertThat(refused(find)).as(find.body()).isTrue();
    }

    /** Jolokia's refusal: HTTP 403, or 403 in its JSON answer. */
    private static boolean refused(Http.Response response) {
        return response.status() == 403 || response.json().path("status").asInt() == 403;
    }

    private static final String READ =
            "{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"HeapMemoryUsage\"}";
    private static final String GC = "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc\"}";
    private static final String STOP_ROUTE =
            "{\"type\":\"exec\",\"mbean\":\"org.apache.camel:context=ingestor,type=routes,name=\\\"files.auto\\\"\","
                    + "\"operation\":\"stop()\"}";

    static String csrfToken(Http http, String credentials) throws Exception {
        HttpResponse<String> page =
                http.raw(http.request("/actuator/hawtio/", credentials).GET().build());
        return page.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("XSRF-TOKEN="))
                .map(c -> c.substring("XSRF-TOKEN=".length(), c.indexOf(';')))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no XSRF-TOKEN cookie: " + page.headers()));
    }

    static Http.Response jolokia(Http http, String credentials, String token, String body) throws Exception {
        return http.send(http.request("/actuator/jolokia", credentials)
                .header("Content-Type", "application/json")
                .header("Cookie", "XSRF-TOKEN=" + token)
                .header("X-XSRF-TOKEN", token)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build());
    }

    @Test
    void adminDoesEverything() throws Exception {
        Http http = new Http(port);
        for (String path : concat(READS, CONSOLE)) {
            assertThat(http.get(path, Http.ADMIN).status()).as(path).isEqualTo(200);
        }
        assertThat(http.post(CHANGES.get(0), Http.ADMIN).status()).isEqualTo(404);
        assertThat(http.post(CHANGES.get(1), Http.ADMIN).status()).isEqualTo(409);
        assertThat(http.get("/actuator/hawtio/", Http.ADMIN).body()).containsIgnoringCase("hawtio");
        Http.Response gc = jolokia(http, Http.ADMIN, csrfToken(http, Http.ADMIN), GC);
        assertThat(gc.status()).isEqualTo(200);
        assertThat(gc.json().path("status").asInt()).as(gc.body()).isEqualTo(200);
        // the admin sees values, but never a secret
        assertThat(http.get("/actuator/env/ingestor.data-dir", Http.ADMIN).body())
                .contains("it-data");
        for (String path : List.of("/actuator/env", "/actuator/configprops")) {
            assertThat(http.get(path, Http.ADMIN).body())
                    .as(path)
                    .contains("******")
                    .doesNotContain("it-admin-secret-3c9e")
                    .doesNotContain("it-viewer-secret-7a1f");
        }
    }

    /** Hawtio's Jolokia POSTs: refused without the CSRF token, accepted with the token from the cookie. */
    @Test
    void jolokiaPostsNeedTheCsrfCookie() throws Exception {
        Http http = new Http(port);
        String read = "{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"HeapMemoryUsage\"}";
        HttpRequest withoutToken = http.request("/actuator/jolokia", Http.ADMIN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(read))
                .build();
        assertThat(http.send(withoutToken).status()).isEqualTo(403);

        HttpResponse<String> page =
                http.raw(http.request("/actuator/hawtio/", Http.ADMIN).GET().build());
        String token = page.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("XSRF-TOKEN="))
                .map(c -> c.substring("XSRF-TOKEN=".length(), c.indexOf(';')))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no XSRF-TOKEN cookie: " + page.headers()));
        HttpRequest withToken = http.request("/actuator/jolokia", Http.ADMIN)
                .header("Content-Type", "application/json")
                .header("Cookie", "XSRF-TOKEN=" + token)
                .header("X-XSRF-TOKEN", token)
                .POST(HttpRequest.BodyPublishers.ofString(read, StandardCharsets.UTF_8))
                .build();
        Http.Response response = http.send(withToken);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("status").asInt()).isEqualTo(200);
        assertThat(response.json().path("value").path("used").asLong()).isPositive();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
