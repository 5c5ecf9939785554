package io.camelingestor.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.camelingestor.TestDataDir;
import io.camelingestor.restart.ChildIngestor;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, findings 1 and 3, as reported: the application in its own JVM (with Camel's MBeans, which the
 * shared test context has not), the admin password on its command line, a viewer sending the reported
 * requests through {@code ?p=} on both Jolokia URLs: the route keeps running, no file is written, the
 * password is not shown.
 */
class JolokiaOnTheRunningServiceTest {

    private static final String ADMIN_SECRET = "child-admin-secret-90c2";
    private static final String VIEWER = "viewer:child-viewer-secret-1d3b";
    private static final String ROUTE = "org.apache.camel:context=ingestor,type=routes,name=\"files.auto\"";
    private static final String CONTEXT = "org.apache.camel:context=ingestor,type=context,name=\"ingestor\"";

    private final Path root = Path.of("target", "jolokia-child");

    @Test
    void aViewerStopsNoRouteWritesNoFileAndSeesNoPassword() throws Exception {
        TestDataDir.delete(root);
        Path dataDir = Files.createDirectories(root).resolve("data");
        Path written = root.toAbsolutePath().resolve("written-by-viewer.txt");
        try (ChildIngestor child = ChildIngestor.start(
                dataDir,
                "jolokia-node",
                Map.of("INGESTOR_SECURITY_VIEWER_PASSWORD", "child-viewer-secret-1d3b"),
                // on the command line, where the issue found it (-D here: InputArguments, system properties)
                Map.of("ingestor.security.password", ADMIN_SECRET))) {
            Http http = new Http(child.port());
            for (String bridge : List.of("/actuator/jolokia", "/actuator/hawtio/jolokia")) {
                Http.Response stop = http.get(bridge + "/?p=" + encode("/exec/" + ROUTE + "/stop()"), VIEWER);
                assertThat(refused(stop)).as(stop.body()).isTrue();
                Http.Response send = http.get(
                        bridge + "/?p="
                                + encode("/exec/" + CONTEXT + "/sendStringBody(java.lang.String,java.lang.String)/file:"
                                        + written.getParent().toString().replace("/", "!/") + "?fileName="
                                        + written.getFileName() + "/pwned"),
                        VIEWER);
                assertThat(refused(send)).as(send.body()).isTrue();
                Http.Response state = http.get(bridge + "/read/" + encode(ROUTE) + "/State", VIEWER);
                assertThat(state.json().path("value").asText()).as(state.body()).isEqualTo("Started");
                for (String attribute : List.of("SystemProperties", "InputArguments")) {
                    Http.Response read = http.get(bridge + "/read/java.lang:type=Runtime/" + attribute, VIEWER);
                    assertThat(read.body()).doesNotContain(ADMIN_SECRET);
                    assertThat(refused(read)).as(read.body()).isTrue();
                }
                // the route sources Hawtio shows: no resolved placeholders for a viewer
                Http.Response resolved = http.get(
                        bridge + "/?p=" + encode("/exec/" + CONTEXT + "/dumpRoutesAsXml(boolean)/true"), VIEWER);
                assertThat(refused(resolved)).as(resolved.body()).isTrue();
            }
            // what a viewer's Hawtio route diagram asks: the statistics, by name and without a signature, posted
            String token = SecurityMatrixTest.csrfToken(http, VIEWER);
            Http.Response stats = SecurityMatrixTest.jolokia(
                    http,
                    VIEWER,
                    token,
                    "{\"type\":\"exec\",\"mbean\":\"" + CONTEXT.replace("\"", "\\\"")
                            + "\",\"operation\":\"dumpRoutesStatsAsXml\",\"arguments\":[true,true]}");
            assertThat(stats.json().path("status").asInt()).as(stats.body()).isEqualTo(200);
            assertThat(stats.json().path("value").asText()).contains("<camelContextStat");
            assertThat(written).doesNotExist();
            // the probe can fail: the admin reads the same attribute and finds the password there
            Http.Response admin =
                    http.get("/actuator/jolokia/read/java.lang:type=Runtime/InputArguments", "admin:" + ADMIN_SECRET);
            assertThat(admin.body()).contains(ADMIN_SECRET);
        }
        assertThat(Files.exists(written)).isFalse();
    }

    private static boolean refused(Http.Response response) {
        return response.status() == 403
                || (response.body().startsWith("{")
                        && response.json().path("status").asInt() == 403);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
