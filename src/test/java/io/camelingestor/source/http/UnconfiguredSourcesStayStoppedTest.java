package io.camelingestor.source.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camelingestor.IngestorIntegrationTest;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;

/**
 * In the default test context no API is configured: every shipped HTTP source stays stopped, and health and
 * the source state say what each one misses. The files go on being ingested (every other test of this
 * context).
 */
class UnconfiguredSourcesStayStoppedTest extends IngestorIntegrationTest {

    @Autowired
    HttpSources sources;

    @Autowired
    CamelContext camel;

    @Autowired
    TestRestTemplate http;

    @Autowired
    SourceRunner runner;

    @Autowired
    org.apache.camel.ProducerTemplate producer;

    @Test
    void aSourceWithoutItsSettingsStaysStoppedAndHealthSaysWhatIsMissing() {
        Map<String, HttpSources.SourceState> states = sources.states();
        assertThat(states.keySet())
                .contains(
                        "open-meteo",
                        "tago.hourly",
                        "tago.daily",
                        "airbeld",
                        "fusionsolar.hourly",
                        "fusionsolar.daily",
                        "fusionsolar.monthly");
        assertThat(states.get("airbeld").status())
                .isEqualTo("not configured: missing AIRBELD_API_URL, AIRBELD_EMAIL, AIRBELD_PASSWORD, AIRBELD_DEVICES");
        assertThat(states.get("fusionsolar.daily").status()).startsWith("not configured: missing FUSIONSOLAR_API_URL");
        assertThat(states.get("tago.hourly").status()).startsWith("not configured: missing devices file");
        assertThat(states.get("open-meteo").status()).isEqualTo("disabled");
        for (String id : states.keySet()) {
            assertThat(states.get(id).configured()).isFalse();
            assertThat(camel.getRouteController().getRouteStatus(id)).isEqualTo(ServiceStatus.Stopped);
        }
        // health details are for logged-in users (anonymous callers get the status only)
        String health =
                http.withBasicAuth("viewer", "it-viewer-secret-7a1f").getForObject("/actuator/health", String.class);
        assertThat(health).contains("\"sources\"").contains("not configured: missing AIRBELD_API_URL");
    }

    @Test
    void runningAnUnconfiguredSourceNowIsRefusedWithWhatIsMissing() {
        assertThatThrownBy(() -> runner.run("airbeld"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "HTTP source airbeld not configured: missing AIRBELD_API_URL, AIRBELD_EMAIL, AIRBELD_PASSWORD, AIRBELD_DEVICES");
        assertThatThrownBy(() -> runner.run("no-such-source"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no HTTP source 'no-such-source'");
        // from Hawtio: the route refuses it too, and nothing is recorded as a failed input
        assertThatThrownBy(() -> producer.sendBodyAndHeader("direct:run-source", null, "sourceId", "airbeld"))
                .hasRootCauseInstanceOf(IllegalStateException.class);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ingest_batch WHERE source_id = 'airbeld'", Integer.class))
                .isZero();
    }
}
