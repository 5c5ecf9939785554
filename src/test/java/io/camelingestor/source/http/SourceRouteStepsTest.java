package io.camelingestor.source.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.component.resilience4j.ResilienceProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What Hawtio shows of an HTTP source: each source route has its own circuit step (a circuitBreaker of its
 * own, not shared with the other sources), and the request, its throttle and the paging loop are steps with
 * ids in the shared routes.
 */
class SourceRouteStepsTest extends HttpSourceTest {

    @Autowired
    CamelContext camel;

    @Autowired
    HttpSources sources;

    @Test
    void eachSourceHasItsOwnCircuitStep() {
        List<String> ids = List.of("test.paged", "test.cursor", "test.link", "tago.hourly", "fusionsolar.daily");
        for (String id : ids) {
            ResilienceProcessor circuit = camel.getProcessor(id + ".circuit", ResilienceProcessor.class);
            assertThat(circuit).as(id).isNotNull();
            assertThat(circuit.getRouteId()).isEqualTo(id);
        }
        assertThat(ids.stream()
                        .map(id -> camel.getProcessor(id + ".circuit", ResilienceProcessor.class)
                                .getCircuitBreaker())
                        .distinct())
                .hasSize(ids.size());
        assertThat(camel.getProcessor("test.paged.circuit", ResilienceProcessor.class)
                        .getCircuitBreakerMinimumNumberOfCalls())
                .isEqualTo(3); // ingestor.http.circuit.failed-runs
        assertThat(sources.circuitState("test.paged")).isEqualTo("closed");
    }

    @Test
    void theRequestItsThrottleAndThePagingLoopAreSteps() {
        for (String step :
                List.of("each-page", "fetch-page", "rate-limit", "prepare-request", "request", "check-answer")) {
            assertThat(camel.getProcessor(step)).as(step).isNotNull();
        }
        assertThat(camel.getRoute("http-request").getEndpoint().getEndpointUri())
                .isEqualTo("direct://http-request");
    }
}
