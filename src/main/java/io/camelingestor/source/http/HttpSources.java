package io.camelingestor.source.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.camelingestor.batch.BatchStore;
import io.camelingestor.core.ExchangeHeaders;
import io.camelingestor.core.ExchangeProperties;
import io.camelingestor.datasource.DatasourceRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.component.resilience4j.ResilienceProcessor;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.AsyncProcessorConverterHelper;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The HTTP sources: every route of the group {@value #GROUP} (instances of the templates in
 * {@code routes/templates/}: the generic {@code http-poll-source} and the vendor templates built like it), their
 * settings (each route's {@link HttpSourceSettings}, a route-template local bean that Camel creates with the
 * route and that {@link #register registers} itself here under the route's id; dropped when the route is
 * removed), and their state for health. The routes are created stopped; once Camel has started, each source that is
 * enabled and has its settings is started, and each other one stays stopped with "not configured: missing X"
 * in the log and in {@code /actuator/health} (component "sources").
 */
@Component("httpSources")
public class HttpSources implements CamelContextConfiguration {

    public static final String GROUP = "http-sources";
    /** The step id of a source route's circuitBreaker, after the route's prefixId ({@code <routeId>.}). */
    public static final String CIRCUIT_STEP = "circuit";

    private static final Logger log = LoggerFactory.getLogger(HttpSources.class);
    private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)}");

    private final Environment environment;
    private final JdbcTemplate jdbc;
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    private final Map<String, SourceState> states = new ConcurrentHashMap<>();
    /** Each source route's settings, by route id: the spec, or why it cannot be built. */
    private final Map<String, Registered> registered = new ConcurrentHashMap<>();

    private final Map<String, Semaphore> running = new ConcurrentHashMap<>();
    private final SourceRunLocks runLocks;
    private CamelContext camel;
    private final DatasourceRegistry datasources;

    public HttpSources(
            Environment environment, JdbcTemplate jdbc, DatasourceRegistry datasources, SourceRunLocks runLocks) {
        this.environment = environment;
        this.jdbc = jdbc;
        this.datasources = datasources;
        this.runLocks = runLocks;
    }

    /**
     * The source route's circuitBreaker (step {@code <routeId>.circuit}), or null when the route is not
     * running or has no circuit of its own.
     */
    private io.github.resilience4j.circuitbreaker.CircuitBreaker circuit(String sourceId) {
        if (camel == null) {
            return null;
        }
        ResilienceProcessor processor = camel.getProcessor(sourceId + "." + CIRCUIT_STEP, ResilienceProcessor.class);
        return processor == null ? null : processor.getCircuitBreaker();
    }

    /** Closes a source's circuit and forgets its recent runs (after its settings were fixed, say). */
    public void resetCircuit(String sourceId) {
        var circuit = circuit(sourceId);
        if (circuit != null) {
            circuit.reset();
        }
    }

    /** The circuit of a source: {@code closed}, {@code open} or {@code half_open} ({@code closed} when stopped). */
    public String circuitState(String sourceId) {
        var circuit = circuit(sourceId);
        return circuit == null ? "closed" : circuit.getState().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** What health shows for one source. */
    public record SourceState(
            String sourceId,
            String status,
            boolean configured,
            Instant lastRun,
            Instant lastSuccess,
            String lastError,
            int consecutiveFailures) {

        SourceState withRun(Instant at, String error) {
            return error == null
                    ? new SourceState(sourceId, status, configured, at, at, lastError, 0)
                    : new SourceState(sourceId, status, configured, at, lastSuccess, error, consecutiveFailures + 1);
        }
    }

    @Override
    public void beforeApplicationStart(CamelContext context) {
        this.camel = context;
    }

    @Override
    public void afterApplicationStart(CamelContext context) {
        this.camel = context;
        for (String sourceId : sourceIds()) {
            startIfConfigured(sourceId);
        }
        // a source file edited (or added) while running is loaded again as a stopped route: start it the same
        // way, once the reload that added it is over
        ExecutorService starter = context.getExecutorServiceManager().newSingleThreadExecutor(this, "http-sources");
        context.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.RouteAddedEvent || event instanceof CamelEvent.RouteRemovedEvent;
            }

            @Override
            public void notify(CamelEvent event) {
                Route route = ((CamelEvent.RouteEvent) event).getRoute();
                if (!GROUP.equals(route.getGroup())) {
                    return;
                }
                if (event instanceof CamelEvent.RouteRemovedEvent) {
                    // its file deleted or reloaded: health lists only the routes there are, and a route created
                    // again registers its new settings (its run history in `states` stays for it)
                    registered.remove(route.getRouteId());
                } else if (context.isStarted()) {
                    starter.submit(() -> startIfConfigured(route.getRouteId()));
                }
            }
        });
    }

    /**
     * Called by {@link HttpSourceSettings#register()}, the init method of a source route's settings bean, while
     * Camel creates that route: keeps the settings under the route's id, replacing those of an earlier version of
     * the route. A spec that cannot be built is kept as its error ("misconfigured: ..." in health).
     */
    void register(HttpSourceSettings settings) {
        String routeId = camel == null ? null : camel.getCamelContextExtension().getCreateRoute();
        if (routeId == null) {
            throw new IllegalStateException(
                    "HttpSourceSettings is a route template's local bean: it is registered while Camel creates the route");
        }
        Registered entry;
        try {
            entry = new Registered(settings.toSpec(routeId), null);
        } catch (RuntimeException e) {
            entry = new Registered(null, e.getMessage());
        }
        registered.put(routeId, entry);
        log.debug("HTTP source {} settings registered: {}", routeId, settings);
    }

    /** The ids under which settings are registered (a removed route's are not). */
    java.util.Set<String> registeredIds() {
        return java.util.Set.copyOf(registered.keySet());
    }

    /** A source's settings as registered: the spec, or the reason it could not be built. */
    private record Registered(HttpSourceSpec spec, String error) {}

    /** Starts the source's route when it can run; otherwise says why it stays stopped. */
    void startIfConfigured(String sourceId) {
        String problem;
        try {
            problem = configurationProblem(spec(sourceId));
        } catch (RuntimeException e) {
            problem = "misconfigured: " + e.getMessage();
        }
        SourceState before = states.get(sourceId);
        if (problem != null) {
            states.put(sourceId, state(sourceId, problem, false, before));
            log.warn("HTTP source {} stays stopped: {}", sourceId, problem);
            return;
        }
        try {
            camel.getRouteController().startRoute(sourceId);
            states.put(sourceId, state(sourceId, "started", true, before));
            log.info("HTTP source {} started", sourceId);
        } catch (Exception e) {
            states.put(sourceId, state(sourceId, "failed to start: " + e.getMessage(), false, before));
            log.warn("HTTP source {} failed to start: {}", sourceId, e.getMessage());
        }
    }

    /** A new status, keeping the run history of an earlier version of the route (before a reload). */
    private static SourceState state(String sourceId, String status, boolean configured, SourceState before) {
        return before == null
                ? new SourceState(sourceId, status, configured, null, null, null, 0)
                : new SourceState(
                        sourceId,
                        status,
                        configured,
                        before.lastRun(),
                        before.lastSuccess(),
                        before.lastError(),
                        before.consecutiveFailures());
    }

    /** The ids of the HTTP source routes, sorted. */
    public List<String> sourceIds() {
        List<String> ids = new ArrayList<>();
        for (RouteDefinition route : model().getRouteDefinitions()) {
            if (GROUP.equals(route.getGroup())) {
                ids.add(route.getRouteId());
            }
        }
        ids.sort(String::compareTo);
        return ids;
    }

    /**
     * The source's configuration: the spec its settings bean registered when Camel created its route.
     *
     * @throws IllegalArgumentException when there is no such source, or its settings are wrong (the message says
     *     which)
     */
    public HttpSourceSpec spec(String sourceId) {
        RouteDefinition route = model().getRouteDefinition(sourceId);
        Registered entry = registered.get(sourceId);
        if (route == null || !GROUP.equals(route.getGroup())) {
            throw new IllegalArgumentException("no HTTP source '" + sourceId + "' (sources: " + sourceIds() + ")");
        }
        if (entry == null) {
            throw new IllegalArgumentException(
                    "source " + sourceId
                            + ": no settings; its template must declare the local bean HttpSourceSettings (see http-poll-source)");
        }
        if (entry.error() != null) {
            throw new IllegalArgumentException(entry.error());
        }
        return entry.spec();
    }

    /** Why the source cannot run ("disabled", "not configured: missing X, Y"), or null when it can. */
    public String configurationProblem(HttpSourceSpec spec) {
        if (!spec.enabled()) {
            return "disabled";
        }
        RouteDefinition route = model().getRouteDefinition(spec.sourceId());
        if (route != null && !(spec.sourceId() + ".").equals(route.getNodePrefixId())) {
            // without it the step ids, and the circuit named after its step id, would be shared with other sources
            return "misconfigured: its templatedRoute needs prefixId: " + spec.sourceId() + ".";
        }
        List<String> missing = new ArrayList<>();
        boolean registered = !datasources.ofKind(kindOf(spec)).isEmpty();
        for (String name : spec.requires()) {
            String value = environment.getProperty(name);
            if ((value == null || value.isBlank()) && !(registered && isDeviceListSetting(name))) {
                missing.add(name);
            }
        }
        if (missing.isEmpty() && (spec.devices().file() != null || registered)) {
            try {
                devices(spec);
            } catch (MissingSettingException e) {
                missing.add(e.getMessage());
            }
        }
        return missing.isEmpty() ? null : "not configured: missing " + String.join(", ", missing);
    }

    /**
     * Step {@code begin-run} of a source route (header {@code sourceId}): leaves the exchange property
     * {@value ExchangeProperties#SOURCE} (the source's {@link HttpSourceSpec}), or {@value ExchangeProperties#HTTP_SOURCE_BUSY} when a run of the same source is
     * in progress (a scheduled run meeting a "run now", say): this one is then skipped. The run holds the
     * source until its exchange completes, on this replica and cluster-wide ({@link SourceRunLocks}). This is
     * the one place that decides whether a run may start.
     *
     * @throws IllegalStateException when the source is disabled, not configured or misconfigured
     */
    public void begin(Exchange exchange) {
        String sourceId = exchange.getIn().getHeader(ExchangeHeaders.SOURCE_ID, String.class);
        HttpSourceSpec spec = spec(sourceId);
        String problem;
        try {
            problem = configurationProblem(spec);
        } catch (RuntimeException e) {
            // an unreadable devices file, say: a failed run for health, not only a line in the log
            states.compute(
                    sourceId, (id, state) -> state(id, "started", true, state).withRun(Instant.now(), e.getMessage()));
            throw new IllegalStateException("HTTP source " + sourceId + " misconfigured: " + e.getMessage(), e);
        }
        if (problem != null) {
            throw new IllegalStateException("HTTP source " + sourceId + " " + problem);
        }
        Semaphore slot = running.computeIfAbsent(sourceId, id -> new Semaphore(1));
        if (!slot.tryAcquire()) {
            exchange.setProperty(ExchangeProperties.HTTP_SOURCE_BUSY, true);
            return;
        }
        // and not running on another replica either (source_run, one row per source)
        if (!runLocks.tryLock(sourceId)) {
            slot.release();
            exchange.setProperty(ExchangeProperties.HTTP_SOURCE_BUSY, true);
            return;
        }
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                try {
                    runLocks.unlock(sourceId);
                } finally {
                    slot.release();
                }
            }
        });
        exchange.setProperty(ExchangeProperties.SOURCE, spec);
    }

    /**
     * Runs the source's route now, as its trigger would, with the header {@value ExchangeHeaders#HTTP_SOURCE_RUN_NOW} (the route then
     * goes around its circuit), and returns when the run is over. A trigger ({@code timer:}, {@code quartz:})
     * cannot be sent to, so the exchange is handed to the route's processor, as the trigger's consumer does.
     *
     * @param runNow false to run it as the schedule does (through the circuit)
     */
    public Exchange fire(String sourceId, boolean runNow) {
        Route route = camel.getRoute(sourceId);
        if (route == null || !GROUP.equals(route.getGroup())) {
            throw new IllegalArgumentException("no HTTP source '" + sourceId + "' (sources: " + sourceIds() + ")");
        }
        Exchange exchange = route.getConsumer().createExchange(false);
        exchange.getIn().setHeader(ExchangeHeaders.HTTP_SOURCE_RUN_NOW, runNow);
        try {
            AsyncProcessorConverterHelper.convert(route.getProcessor()).process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        return exchange;
    }

    /** Whether a run of the source is in progress. */
    public boolean running(String sourceId) {
        Semaphore slot = running.get(sourceId);
        return (slot != null && slot.availablePermits() == 0) || runLocks.holder(sourceId) != null;
    }

    /**
     * Called last by {@code direct:http-fetch}: records the run in the source's state, failed when any window
     * of the run ended FAILED or REJECTED.
     */
    public void finish(Exchange exchange) {
        BatchStore.noBatchMdcYet(); // the run's line is the source's, not its last window's
        HttpSourceSpec spec = exchange.getProperty(ExchangeProperties.SOURCE, HttpSourceSpec.class);
        Instant started = Instant.ofEpochMilli(exchange.getClock().getCreated());
        Optional<String> error = jdbc
                .queryForList(
                        """
                        SELECT status || ': ' || coalesce(error, '') FROM ingest_batch
                        WHERE source_id = ? AND started_at >= ? AND status IN ('FAILED', 'REJECTED')
                        ORDER BY finished_at DESC NULLS LAST LIMIT 1
                        """,
                        String.class,
                        spec.sourceId(),
                        Timestamp.from(started))
                .stream()
                .findFirst();
        states.compute(
                spec.sourceId(),
                (id, state) -> (state == null ? new SourceState(id, "started", true, null, null, null, 0) : state)
                        .withRun(Instant.now(), error.orElse(null)));
        // the source route's circuit counts the run failed when this is set (step `run-failed`)
        error.ifPresentOrElse(
                e -> exchange.setProperty(ExchangeProperties.HTTP_RUN_ERROR, e),
                () -> exchange.removeProperty(ExchangeProperties.HTTP_RUN_ERROR));
        Map<String, Object> loaded = jdbc.queryForMap(
                """
                SELECT count(*) FILTER (WHERE status IN ('LOADED', 'PARTIAL')) AS windows,
                       coalesce(sum(rows_loaded) FILTER (WHERE status IN ('LOADED', 'PARTIAL')), 0) AS rows
                FROM ingest_batch WHERE source_id = ? AND started_at >= ?
                """,
                spec.sourceId(),
                Timestamp.from(started));
        log.info(
                "HTTP source {} run {}: {} windows loaded, {} rows",
                spec.sourceId(),
                error.map(e -> "failed (" + e + ")").orElse("succeeded"),
                loaded.get("windows"),
                loaded.get("rows"));
    }

    /** Step {@code close-circuit-after-run-now}: an operator's run that succeeded ends the pause at once. */
    public void afterRunNow(Exchange exchange) {
        String sourceId = exchange.getIn().getHeader(ExchangeHeaders.SOURCE_ID, String.class);
        var circuit = circuit(sourceId);
        if (circuit != null && exchange.getProperty(ExchangeProperties.HTTP_RUN_ERROR) == null) {
            circuit.transitionToClosedState();
        }
    }

    /** Every source's state, for health and the REST API. */
    public Map<String, SourceState> states() {
        Map<String, SourceState> all = new TreeMap<>();
        if (camel != null) {
            for (String id : sourceIds()) {
                all.put(
                        id,
                        states.getOrDefault(id, new SourceState(id, "not started yet", false, null, null, null, 0)));
            }
        }
        return all;
    }

    /**
     * The devices a source fetches for: the datasource registry's datasources of the source's kind (see
     * {@link #kindOf}), then those of the source's own settings that the registry does not list. Without
     * registered datasources, the settings alone: {@code devicesFile}, else {@code devices}, else one device
     * without id.
     */
    public List<Device> devices(HttpSourceSpec spec) {
        List<Device> registered = registeredDevices(spec);
        if (registered.isEmpty()) {
            return configuredDevices(spec);
        }
        List<Device> all = new ArrayList<>(registered);
        List<Device> configured;
        try {
            configured = configuredDevices(spec);
        } catch (MissingSettingException e) {
            configured = List.of(); // the registry's devices are enough
        }
        for (Device device : configured) {
            if (!device.id().isEmpty() && registered.stream().noneMatch(r -> r.id().equals(device.id()))) {
                all.add(device);
            }
        }
        return all;
    }

    /**
     * The hook between the HTTP sources and the datasource registry: a source's kind is its route id up to the
     * first '.' ({@code tago.hourly} → {@code tago}, {@code airbeld}, {@code fusionsolar.daily} →
     * {@code fusionsolar}).
     */
    static String kindOf(HttpSourceSpec spec) {
        String id = spec.sourceId();
        int dot = id.indexOf('.');
        return dot < 0 ? id : id.substring(0, dot);
    }

    /** A setting that only lists devices ({@code AIRBELD_DEVICES}, {@code FUSIONSOLAR_STATION_CODES}). */
    private static boolean isDeviceListSetting(String name) {
        return name.endsWith("_DEVICES") || name.endsWith("_STATION_CODES") || name.endsWith("_DEVICES_FILE");
    }

    /** The registry's datasources of the source's kind; a token named in their credentials is read from the environment. */
    private List<Device> registeredDevices(HttpSourceSpec spec) {
        return datasources.ofKind(kindOf(spec)).stream()
                .map(d -> new Device(
                        d.externalId(),
                        d.credentials().containsKey("token")
                                ? resolveEnv("${" + d.credentials().get("token") + "}")
                                : null))
                .toList();
    }

    private List<Device> configuredDevices(HttpSourceSpec spec) {
        if (spec.devices().file() != null) {
            Path file = Path.of(spec.devices().file());
            if (!Files.isRegularFile(file)) {
                throw new MissingSettingException("devices file " + file);
            }
            try {
                JsonNode root = yaml.readTree(file.toFile());
                List<Device> devices = new ArrayList<>();
                for (JsonNode device : root.path("devices")) {
                    String id = device.path("id").asText("");
                    String token = device.hasNonNull("token")
                            ? resolveEnv(device.path("token").asText())
                            : null;
                    devices.add(new Device(id, token));
                }
                if (devices.isEmpty()) {
                    throw new MissingSettingException("devices in " + file);
                }
                return devices;
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "devices file " + file + " is not readable YAML: " + e.getMessage(), e);
            }
        }
        if (!spec.devices().ids().isEmpty()) {
            return spec.devices().ids().stream().map(id -> new Device(id, null)).toList();
        }
        return List.of(new Device("", null));
    }

    /** Replaces {@code ${NAME}} with the environment's (or a property's) value; a missing one is reported. */
    private String resolveEnv(String value) {
        Matcher m = ENV_REF.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String resolved = environment.getProperty(m.group(1));
            if (resolved == null || resolved.isBlank()) {
                throw new MissingSettingException(m.group(1));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(resolved));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The Camel context the sources run in. */
    public CamelContext camelContext() {
        return camel;
    }

    private ModelCamelContext model() {
        return (ModelCamelContext) camel;
    }

    /** A setting the source needs is not there (an environment variable, a file). */
    static final class MissingSettingException extends RuntimeException {
        MissingSettingException(String what) {
            super(what);
        }
    }
}
