package io.camelingestor.source;

import io.camelingestor.source.http.HttpSources;
import org.apache.camel.Route;

/** Which routes are sources: what the sources API, its health group and the operators' views list. */
public final class SourceRoutes {

    private SourceRoutes() {}

    /**
     * A file source ({@code files.*}), an HTTP source (the route group of its template), or any route a user
     * puts in the group {@code sources}.
     */
    public static boolean isSource(Route route) {
        return route.getId().startsWith("files.")
                || route.getId().startsWith("http.")
                || "sources".equals(route.getGroup())
                || HttpSources.GROUP.equals(route.getGroup());
    }
}
