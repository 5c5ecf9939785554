package io.camelingestor.web;

import io.camelingestor.batch.BatchQueries;
import io.camelingestor.source.SourceRoutes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.util.URISupport;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The source routes as Camel runs them (state, schedule) and as the batches tell their history (last run,
 * last success, last error, API cursor). A source is a route whose id starts with {@code files.} or
 * {@code http.}, or whose route group is {@code sources}.
 */
@RestController
@RequestMapping("/api/sources")
@Tag(name = "sources", description = "File and HTTP source routes")
class SourcesController {

    /**
     * What says when a source runs, most telling first: a quartz cron, a timer's period (Camel sorts a timer's
     * options, so its {@code delay}, the first run's, comes before it), a repeat interval, a file poll's delay.
     */
    private static final List<Pattern> SCHEDULE = Stream.of("cron", "period", "repeatInterval", "delay")
            .map(key -> Pattern.compile("[?&](" + key + ")=([^&]+)"))
            .toList();

    /** A template parameter named in a route's description ({@code "Tago.io {{variable}} into {{dataset}}"}). */
    private static final Pattern PARAMETER = Pattern.compile("\\{\\{([A-Za-z0-9_.-]+)}}");

    /** Template parameters whose values are never filled into a description. */
    private static final Pattern SECRET_PARAMETER = Pattern.compile("(?i)token|password|secret|credential|key");

    private final CamelContext camel;
    private final BatchQueries queries;
    private final ObjectProvider<SourceTrigger> trigger;

    SourcesController(CamelContext camel, BatchQueries queries, ObjectProvider<SourceTrigger> trigger) {
        this.camel = camel;
        this.queries = queries;
        this.trigger = trigger;
    }

    @GetMapping
    @Operation(summary = "Every source route: state, schedule, last run, last success, last error, cursor")
    List<Map<String, Object>> list() {
        List<Map<String, Object>> list = new ArrayList<>();
        camel.getRoutes().stream()
                .filter(SourceRoutes::isSource)
                .sorted(Comparator.comparing(Route::getId))
                .forEach(route -> list.add(describe(route)));
        return list;
    }

    @GetMapping("/{id}")
    @Operation(summary = "One source route")
    Map<String, Object> get(@PathVariable String id) {
        return describe(route(id));
    }

    @PostMapping("/{id}/run")
    @Operation(summary = "Run a source now (HTTP sources; file sources run when a file arrives)")
    Map<String, Object> run(@PathVariable String id) {
        Route route = route(id);
        if (route.getId().startsWith("files.")) {
            throw new ApiException(
                    HttpStatus.CONFLICT,
                    "not runnable on demand",
                    "file source " + id + " runs whenever a file arrives in its inbound folder;"
                            + " upload one with POST /api/datasets/{dataset}/files");
        }
        SourceTrigger runner = trigger.getIfAvailable();
        if (runner == null || !runner.canRun(id)) {
            throw new ApiException(
                    HttpStatus.UNPROCESSABLE_ENTITY,
                    "not runnable on demand",
                    "source " + id + " has no on-demand runner; it runs on its schedule");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("source", id);
        result.putAll(runner.run(id));
        return result;
    }

    private Route route(String id) {
        Route route = camel.getRoute(id);
        if (route == null || !SourceRoutes.isSource(route)) {
            throw ApiException.notFound("source", id);
        }
        return route;
    }

    private Map<String, Object> describe(Route route) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("id", route.getId());
        source.put("kind", route.getId().startsWith("files.") ? "files" : "http");
        ServiceStatus status = camel.getRouteController().getRouteStatus(route.getId());
        source.put("state", status == null ? "Unknown" : status.name());
        String uri = URISupport.sanitizeUri(route.getEndpoint().getEndpointUri());
        source.put("endpoint", uri);
        source.put("schedule", schedule(uri));
        source.put("description", description(route));
        source.putAll(queries.sourceActivity(route.getId()));
        return source;
    }

    private static String schedule(String uri) {
        for (Pattern key : SCHEDULE) {
            Matcher schedule = key.matcher(uri);
            if (schedule.find()) {
                return schedule.group(1) + "=" + schedule.group(2);
            }
        }
        return null;
    }

    /**
     * The route's description, with the parameters of the template it was made from filled in: Camel keeps a
     * template route's description as the template wrote it.
     */
    private String description(Route route) {
        String description = route.getDescription();
        if (description == null || !route.isCreatedByRouteTemplate() || !description.contains("{{")) {
            return description;
        }
        RouteDefinition definition =
                camel.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinition(route.getId());
        Map<String, Object> parameters = definition == null ? null : definition.getTemplateParameters();
        if (parameters == null) {
            return description;
        }
        Matcher parameter = PARAMETER.matcher(description);
        StringBuilder out = new StringBuilder();
        while (parameter.find()) {
            Object value = parameters.get(parameter.group(1));
            // a secret's parameter stays as written: a description is shown to every viewer
            String text = value == null
                            || SECRET_PARAMETER.matcher(parameter.group(1)).find()
                    ? parameter.group()
                    : camel.resolvePropertyPlaceholders(value.toString());
            parameter.appendReplacement(out, Matcher.quoteReplacement(text));
        }
        parameter.appendTail(out);
        return out.toString();
    }
}
