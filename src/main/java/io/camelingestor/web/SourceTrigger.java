package io.camelingestor.web;

import java.util.Map;

/**
 * Runs a source now, outside its schedule ({@code POST /api/sources/{id}/run}). The HTTP sources provide it;
 * without one, only the sources' schedules run them.
 */
public interface SourceTrigger {

    /** Whether this trigger can run the source (a scheduled HTTP source, say). */
    boolean canRun(String sourceId);

    /**
     * Runs the source now.
     *
     * @return what to tell the caller (batches started, windows fetched, ...)
     */
    Map<String, Object> run(String sourceId);
}
