package io.camelingestor.web;

import io.camelingestor.batch.BatchQueries;
import io.camelingestor.core.DataPaths;
import java.util.List;
import java.util.Map;

/** A page of a list: its items, where it starts, how many it holds at most, and how many there are in all. */
public record Paging(List<Map<String, Object>> items, long offset, int limit, long total) {

    static final int MAX_LIMIT = 500;

    static Paging of(BatchQueries.Page page, long offset, int limit) {
        return new Paging(page.items(), offset, limit, page.total());
    }

    /** The same page with every path into the data folder shown relative to it. */
    Paging shown(DataPaths paths) {
        return new Paging(paths.shownIn(items), offset, limit, total);
    }

    static void check(int limit, long offset) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badParameter("limit", limit, "1 to " + MAX_LIMIT);
        }
        if (offset < 0) {
            throw ApiException.badParameter("offset", offset, "0 or more");
        }
    }
}
