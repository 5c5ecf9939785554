package io.camelingestor.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.camelingestor.IngestorIntegrationTest;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Issue 10, findings 1-3: Jolokia requests as a viewer (by path, by the {@code p} parameter, by POST, and
 * through Hawtio's bridge), with a session cookie and from another site. The JVM's own MBeans stand in for
 * Camel's here (camel-test keeps Camel's MBeans out of this JVM; {@code JolokiaOnTheRunningServiceTest} uses
 * them): {@code HotSpotDiagnostic.dumpHeap} writes a file wherever it is told, {@code Memory.gc} changes state.
 */
class JolokiaChangesNothingForViewersOrOtherSitesTest extends IngestorIntegrationTest {

    /** A secret on the command line, as an operator passing {@code --ingestor.security.password=...} has it. */
    private static final String SECRET = "cmdline-secret-51d7";

    private static final String PROBE = "it.jolokia.probe";

    @LocalServerPort
    int port;

    @TempDir
    Path tmp;

    @BeforeAll
    static void secretInSystemProperties() {
        System.setProperty(PROBE, "--ingestor.security.password=" + SECRET);
    }

    @AfterAll
    static void removeSecret() {
        System.clearProperty(PROBE);
    }

    private static final List<String> BRIDGES = List.of("/actuator/jolokia", "/actuator/hawtio/jolokia");

    @Test
    void aViewerCannotDumpTheHeapByAnyRoute() throws Exception {
        Http http = new Http(port);
        String token = csrfToken(http, Http.VIEWER);
        for (String bridge : BRIDGES) {
            Path dump = tmp.resolve("viewer-" + bridge.length() + ".hprof");
            String exec = "exec/com.sun.management:type=HotSpotDiagnostic/dumpHeap/" + escaped(dump) + "/true";
            assertRefused(http.get(bridge + "/" + exec, Http.VIEWER), bridge + " path");
            assertRefused(
                    http.get(bridge + "/?p=/" + URLEncoder.encode(exec, StandardCharsets.UTF_8), Http.VIEWER),
                    bridge + " p parameter");
            assertRefused(
                    post(
                            http,
                            bridge,
                            Http.VIEWER,
                            token,
                            null,
                            "{\"type\":\"exec\",\"mbean\":"
                                    + "\"com.sun.management:type=HotSpotDiagnostic\",\"operation\":\"dumpHeap\",\"arguments\":[\""
                                    + dump + "\",true]}"),
                    bridge + " POST");
            assertThat(dump).as("no heap dump written by a viewer").doesNotExist();
            // an operation that only answers, but is not one Hawtio needs, is refused too (allow-list)
            assertRefused(
                    http.get(bridge + "/?p=/exec/java.lang:type=Threading/findDeadlockedThreads()", Http.VIEWER),
                    bridge);
            assertRefused(
                    http.get(bridge + "/?p=/write/java.lang:type=Memory/Verbose/true", Http.VIEWER), bridge + " write");
        }
    }

    @Test
    void noSecretReachesAViewer() throws Exception {
        Http http = new Http(port);
        String token = csrfToken(http, Http.VIEWER);
        for (String bridge : BRIDGES) {
            for (String attribute : List.of("SystemProperties", "InputArguments")) {
                String read = "read/java.lang:type=Runtime/" + attribute;
                Http.Response byPath = http.get(bridge + "/" + read, Http.VIEWER);
                assertRefused(byPath, read);
                assertThat(byPath.body()).doesNotContain(SECRET);
                assertRefused(http.get(bridge + "/?p=/" + read, Http.VIEWER), read);
            }
            Http.Response all = post(
                    http,
                    bridge,
                    Http.VIEWER,
                    token,
                    null,
                    "[{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\"},"
                            + "{\"type\":\"read\",\"mbean\":\"java.lang:*\"},"
                            + "{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":[\"SystemProperties\"]}]");
            assertThat(all.body()).doesNotContain(SECRET).doesNotContain("it-admin-secret-3c9e");
            // reading is still possible
            Http.Response heap = http.get(bridge + "/read/java.lang:type=Memory/HeapMemoryUsage", Http.VIEWER);
            assertThat(heap.json().path("status").asInt()).as(heap.body()).isEqualTo(200);
        }
        // the probe is there: the admin (who knows the password anyway) sees it, so the assertions above can fail
        Http.Response admin = http.get("/actuator/jolokia/read/java.lang:type=Runtime/SystemProperties", Http.ADMIN);
        assertThat(admin.body()).contains(SECRET);
    }

    @Test
    void nothingChangesOverGetEvenForTheAdmin() throws Exception {
        Http http = new Http(port);
        String session = formLogin(http, "admin", "it-admin-secret-3c9e");
        for (String bridge : BRIDGES) {
            Path dump = tmp.resolve("admin-get-" + bridge.length() + ".hprof");
            String exec = "exec/com.sun.management:type=HotSpotDiagnostic/dumpHeap/" + escaped(dump) + "/true";
            for (String path :
                    List.of(bridge + "/" + exec, bridge + "/?p=/" + exec, bridge + "/exec/java.lang:type=Memory/gc")) {
                assertRefused(
                        http.send(http.request(path, null)
                                .header("Cookie", session)
                                .GET()
                                .build()),
                        "GET with a session cookie: " + path);
                assertRefused(http.get(path, Http.ADMIN), "GET with Basic: " + path);
            }
            assertThat(dump).doesNotExist();
            // reading over GET with the session still works: the session is valid
            Http.Response read = http.send(http.request(bridge + "/read/java.lang:type=Memory/HeapMemoryUsage", null)
                    .header("Cookie", session)
                    .GET()
                    .build());
            assertThat(read.json().path("status").asInt()).as(read.body()).isEqualTo(200);
        }
    }

    /** Jolokia asks its restrictor nothing about notifications: a viewer must still not add listeners. */
    @Test
    void aViewerAddsNoNotificationListener() throws Exception {
        Http http = new Http(port);
        for (String who : List.of(Http.VIEWER, Http.ADMIN)) {
            String token = csrfToken(http, who);
            for (String bridge : BRIDGES) {
                Http.Response register =
                        post(http, bridge, who, token, null, "{\"type\":\"notification\",\"command\":\"register\"}");
                String client = register.json().path("value").path("id").asText();
                for (String mode : List.of("pull", "sse")) {
                    Http.Response add = post(
                            http,
                            bridge,
                            who,
                            token,
                            null,
                            "{\"type\":\"notification\",\"command\":\"add\",\"client\":\"" + client + "\",\"mode\":\""
                                    + mode + "\",\"mbean\":\"java.lang:type=Memory\"}");
                    if (who.equals(Http.VIEWER)) {
                        assertRefused(add, "viewer adds a " + mode + " listener through " + bridge);
                    } else {
                        assertThat(add.json().path("status").asInt())
                                .as("admin adds a " + mode + " listener through " + bridge + ": " + add.body())
                                .isEqualTo(200);
                    }
                }
            }
        }
    }

    @Test
    void anotherSiteCannotUseALoggedInBrowser() throws Exception {
        Http http = new Http(port);
        String token = csrfToken(http, Http.ADMIN);
        String gc = "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc()\"}";
        for (String bridge : BRIDGES) {
            assertRefused(post(http, bridge, Http.ADMIN, token, "https://evil.example", gc), "foreign origin");
            Http.Response own = post(http, bridge, Http.ADMIN, token, "http://localhost:" + port, gc);
            assertThat(own.json().path("status").asInt()).as(own.body()).isEqualTo(200);
        }
        HttpResponse<String> login = loginForm(http, "admin", "it-admin-secret-3c9e");
        assertThat(login.headers().allValues("Set-Cookie"))
                .filteredOn(c -> c.startsWith("JSESSIONID=") || c.startsWith("XSRF-TOKEN="))
                .hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(c -> assertThat(c).containsIgnoringCase("SameSite=Strict"));
    }

    /** Refused: Jolokia answers 403 (HTTP or in its JSON) and carries out nothing. */
    private static void assertRefused(Http.Response response, String what) {
        boolean refused = response.status() == 403
                || (response.body().startsWith("{")
                        && response.json().path("status").asInt() == 403);
        assertThat(refused)
                .as(what + " -> " + response.status() + " " + response.body())
                .isTrue();
    }

    private static Http.Response post(
            Http http, String bridge, String credentials, String token, String origin, String body) throws Exception {
        HttpRequest.Builder request = http.request(bridge, credentials)
                .header("Content-Type", "application/json")
                .header("Cookie", "XSRF-TOKEN=" + token)
                .header("X-XSRF-TOKEN", token);
        if (origin != null) {
            request.header("Origin", origin);
        }
        return http.send(request.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build());
    }

    static String csrfToken(Http http, String credentials) throws Exception {
        HttpResponse<String> page =
                http.raw(http.request("/actuator/hawtio/", credentials).GET().build());
        return cookie(page, "XSRF-TOKEN");
    }

    /** Logs in through the login form, as a browser does; returns the session's Cookie header value. */
    static String formLogin(Http http, String user, String password) throws Exception {
        HttpResponse<String> done = loginForm(http, user, password);
        assertThat(done.statusCode()).as(done.headers().toString()).isEqualTo(302);
        assertThat(done.headers().firstValue("Location").orElse("")).doesNotContain("error");
        return "JSESSIONID=" + cookie(done, "JSESSIONID");
    }

    private static HttpResponse<String> loginForm(Http http, String user, String password) throws Exception {
        HttpResponse<String> form = http.raw(http.request("/login", null).GET().build());
        String xsrf = cookie(form, "XSRF-TOKEN");
        HttpResponse<String> done = http.raw(http.request("/login", null)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", "XSRF-TOKEN=" + xsrf)
                .POST(HttpRequest.BodyPublishers.ofString("username=" + user + "&password=" + password + "&_csrf="
                        + URLEncoder.encode(xsrf, StandardCharsets.UTF_8)))
                .build());
        return done;
    }

    /** A path as an argument in a Jolokia GET URL: its slashes escaped as Jolokia wants them ("!/"). */
    private static String escaped(Path path) {
        return path.toString().replace("/", "!/");
    }

    private static String cookie(HttpResponse<String> response, String name) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(name.length() + 1, c.indexOf(';') < 0 ? c.length() : c.indexOf(';')))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " cookie: " + response.headers()));
    }
}
