package io.camelingestor.source.http;

import io.camelingestor.core.ExchangeHeaders;
import java.time.Duration;
import org.apache.camel.model.Resilience4jConfigurationDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The settings of every source route's {@code circuit} step (circuitBreaker EIP, {@code configuration:
 * httpSourceCircuit}), from {@code ingestor.http.circuit.*}: a run is one call; after {@code failed-runs}
 * failed runs in a row the circuit opens and the scheduled runs are skipped for {@code open-for}; then one
 * run is let through (half open): success closes it, failure opens it again. A run may take long (rate
 * limits, many windows): a slow run is not a failure.
 */
@Configuration(proxyBeanMethods = false)
class HttpSourceCircuitConfig {

    static final String CLIENT = "httpSourceClient";
    static final String HEADERS = "httpSourceHeaders";

    /**
     * Which message headers the sources' camel-http endpoints send: the usual HTTP filter (no Camel headers),
     * and not the run's own headers ({@code sourceId}, {@code httpSourceRunNow}).
     */
    @Bean(HEADERS)
    org.apache.camel.http.common.HttpHeaderFilterStrategy httpSourceHeaders() {
        org.apache.camel.http.common.HttpHeaderFilterStrategy headers =
                new org.apache.camel.http.common.HttpHeaderFilterStrategy();
        headers.getOutFilter().add("sourceid");
        headers.getOutFilter().add(ExchangeHeaders.HTTP_SOURCE_RUN_NOW.toLowerCase(java.util.Locale.ROOT));
        return headers;
    }

    /**
     * The HTTP client of the sources' camel-http endpoints: no retries of its own (Apache HttpClient would send
     * a GET again after an I/O error, or a 429/503, unseen by the route): every request sent again is a
     * redelivery of the route's {@code fetch-page} step, counted and logged.
     */
    @Bean(CLIENT)
    org.apache.camel.component.http.HttpClientConfigurer httpSourceClient() {
        return builder -> builder.disableAutomaticRetries();
    }

    @Bean("httpSourceCircuit")
    Resilience4jConfigurationDefinition httpSourceCircuit(Environment environment) {
        int failedRuns = environment.getProperty("ingestor.http.circuit.failed-runs", Integer.class, 3);
        Duration openFor =
                environment.getProperty("ingestor.http.circuit.open-for", Duration.class, Duration.ofMinutes(30));
        Resilience4jConfigurationDefinition circuit = new Resilience4jConfigurationDefinition();
        circuit.setSlidingWindowType("COUNT_BASED");
        circuit.setSlidingWindowSize(String.valueOf(failedRuns));
        circuit.setMinimumNumberOfCalls(String.valueOf(failedRuns));
        circuit.setFailureRateThreshold("100");
        circuit.setWaitDurationInOpenState(String.valueOf(Math.max(1, openFor.toSeconds())));
        circuit.setPermittedNumberOfCallsInHalfOpenState("1");
        circuit.setSlowCallDurationThreshold(String.valueOf(Duration.ofDays(1).toSeconds()));
        return circuit;
    }
}
