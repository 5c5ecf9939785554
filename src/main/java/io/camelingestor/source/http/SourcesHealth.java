package io.camelingestor.source.http;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component "sources": per HTTP source, whether it is configured (or why not),
 * its last run, last success, last error and consecutive failed runs. Always UP: one failing source never
 * stops the others nor the file ingestion, and restarting the service would not fix an API.
 */
@Component("sources")
class SourcesHealth implements HealthIndicator {

    private final HttpSources sources;

    SourcesHealth(HttpSources sources) {
        this.sources = sources;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up();
        sources.states().forEach((id, state) -> {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("status", state.status());
            detail.put("configured", state.configured());
            detail.put("lastRun", state.lastRun());
            detail.put("lastSuccess", state.lastSuccess());
            detail.put("lastError", state.lastError());
            detail.put("consecutiveFailures", state.consecutiveFailures());
            detail.put("circuit", sources.circuitState(id));
            health.withDetail(id, detail);
        });
        return health.build();
    }
}
