package io.camelingestor.source.http;

import io.camelingestor.core.ExchangeProperties;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Runs an HTTP source now, whatever its schedule: for {@code POST /api/sources/{id}/run} and for Hawtio
 * (route {@code run-source}, header {@code sourceId}).
 */
@Component("sourceRunner")
public class SourceRunner {

    private final HttpSources sources;

    public SourceRunner(HttpSources sources) {
        this.sources = sources;
    }

    /**
     * Fetches every window due for the source and ingests it, returning when the run is over.
     *
     * @return the source's state after the run (last success, last error, consecutive failures)
     * @throws IllegalArgumentException when there is no such source
     * @throws IllegalStateException when the source is disabled or not configured, or running already
     */
    public HttpSources.SourceState run(String sourceId) {
        HttpSourceSpec spec = sources.spec(sourceId);
        String problem = sources.configurationProblem(spec);
        if (problem != null) {
            throw new IllegalStateException("HTTP source " + sourceId + " " + problem);
        }
        if (sources.running(sourceId)) {
            throw new IllegalStateException("HTTP source " + sourceId + " is running already");
        }
        Exchange done = sources.fire(sourceId, true);
        if (done.getException() != null) {
            throw CamelExecutionException.wrapCamelExecutionException(done, done.getException());
        }
        if (done.getProperty(ExchangeProperties.HTTP_SOURCE_BUSY, false, Boolean.class)) {
            throw new IllegalStateException("HTTP source " + sourceId + " is running already");
        }
        return sources.states().get(sourceId);
    }
}
