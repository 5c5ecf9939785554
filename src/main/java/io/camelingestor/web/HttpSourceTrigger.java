package io.camelingestor.web;

import io.camelingestor.source.http.HttpSources;
import io.camelingestor.source.http.SourceRunner;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/** {@code POST /api/sources/{id}/run} for the scheduled HTTP sources: one run now, answered when it is over. */
@Component
class HttpSourceTrigger implements SourceTrigger {

    private final SourceRunner runner;
    private final HttpSources sources;

    HttpSourceTrigger(SourceRunner runner, HttpSources sources) {
        this.runner = runner;
        this.sources = sources;
    }

    @Override
    public boolean canRun(String sourceId) {
        return sources.sourceIds().contains(sourceId);
    }

    @Override
    public Map<String, Object> run(String sourceId) {
        HttpSources.SourceState state;
        try {
            state = runner.run(sourceId);
        } catch (IllegalStateException e) {
            // not configured, disabled, or running already: nothing was started
            throw new ApiException(HttpStatus.CONFLICT, "not runnable now", e.getMessage());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        if (state != null) {
            result.put("status", state.status());
            result.put("lastRun", state.lastRun());
            result.put("lastSuccess", state.lastSuccess());
            result.put("lastError", state.lastError());
            result.put("consecutiveFailures", state.consecutiveFailures());
            result.put("circuit", sources.circuitState(sourceId));
        }
        return result;
    }
}
