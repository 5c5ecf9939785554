package io.camelingestor.ops;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.TemplatedRouteDefinition;
import org.apache.camel.model.TemplatedRouteParameterDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's route watcher over every folder under {@code routes/}, completed where Camel 4.17 stops short.
 * Written by hand because Camel's reload ({@code RouteBuilder.updateRoutesToCamelContext}) ignores the
 * {@code templatedRoute} entries of a reloaded file (the file sources and the HTTP sources are all such
 * entries), appends an edited {@code routeTemplate} beside the old one (which stays in force: the model finds
 * the first), and ignores a deleted file. Here, when a route file changes:
 *
 * <ul>
 *   <li>its plain routes and templates are reloaded by Camel (a broken file is refused, with its line, and
 *       every running route keeps running); an edited template replaces the old one;
 *   <li>its {@code templatedRoute} entries are created, re-created when their parameters changed, and removed
 *       when they are no longer in the file; the routes of every file built from a template the file declares
 *       are re-created from the new template;
 *   <li>routes that were in the file and are not any more are stopped and removed; a deleted file removes
 *       all of its routes.
 * </ul>
 *
 * A file whose content is the same as at its last reload, loaded or refused (the watcher reports one write as
 * several events), is left alone.
 */
public class RouteFilesReload extends RouteWatcherReloadStrategy {

    private static final Logger log = LoggerFactory.getLogger(RouteFilesReload.class);

    /** What each route file declared when it was last loaded, by its absolute path. */
    private final Map<Path, Declared> declared = new LinkedHashMap<>();

    /** The content each file had at its last reload, loaded or refused: one write often comes as two events. */
    private final Map<Path, String> lastSeen = new LinkedHashMap<>();

    public RouteFilesReload(String directory, String pattern) {
        super(directory, true);
        setPattern(pattern);
        setRemoveAllRoutes(false);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // what the files declared at start (Camel loaded them already): the base a later edit is compared with
        try (Stream<Path> files = Files.walk(Path.of(getFolder()))) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".yaml"))::iterator) {
                try {
                    Declared contents = read(file);
                    declared.put(file.toAbsolutePath().normalize(), contents);
                    lastSeen.put(file.toAbsolutePath().normalize(), contents.sha256());
                } catch (Exception e) {
                    log.warn("Route file {} could not be read: {}", file, e.getMessage());
                }
            }
        }
    }

    @Override
    protected void onRouteReload(Collection<Resource> resources, boolean removeEverything) {
        if (resources == null) {
            super.onRouteReload(null, removeEverything);
            return;
        }
        for (Resource resource : resources) {
            reload(resource);
        }
    }

    private synchronized void reload(Resource resource) {
        Path file = Path.of(resource.getURI()).toAbsolutePath().normalize();
        Declared before = declared.getOrDefault(file, Declared.NONE);
        try {
            if (!Files.exists(file)) {
                removeRoutes(before.allRouteIds(), file);
                declared.remove(file);
                lastSeen.remove(file);
                log.info("Route file {} deleted: routes removed {}", relative(file), before.allRouteIds());
                return;
            }
            String sha256 = sha256(file);
            if (sha256.equals(lastSeen.put(file, sha256))) {
                return;
            }
            Declared after = read(file); // a file that does not parse fails here, before anything changes
            super.onRouteReload(List.of(resource), false);
            keepNewestTemplates(after.templateIds());

            Set<String> gone = new LinkedHashSet<>(before.allRouteIds());
            gone.removeAll(after.allRouteIds());
            removeRoutes(gone, file);

            List<String> created = new ArrayList<>();
            for (Map.Entry<String, String> entry : after.templated().entrySet()) {
                String routeId = entry.getKey();
                if (!entry.getValue().equals(before.templated().get(routeId))
                        || getCamelContext().getRoute(routeId) == null) {
                    recreate(after.definitions().get(routeId));
                    created.add(routeId);
                }
            }
            declared.put(file, after);
            // routes in other files built from a template this file declares follow the new template
            for (Map.Entry<Path, Declared> other : declared.entrySet()) {
                if (other.getKey().equals(file)) {
                    continue;
                }
                for (TemplatedRouteDefinition definition :
                        other.getValue().definitions().values()) {
                    if (after.templateIds().contains(definition.getRouteTemplateRef())) {
                        recreate(definition);
                        created.add(definition.getRouteId());
                    }
                }
            }
            log.info(
                    "Route file {} reloaded: routes {}, from templates {} (re)created, {} removed",
                    relative(file),
                    after.routeIds(),
                    created,
                    gone);
        } catch (Exception e) {
            // the watcher logs it with the file; every route that was running still is
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** An edited template is added beside the old one by Camel; the model would keep using the first. */
    private void keepNewestTemplates(Set<String> templateIds) throws Exception {
        Model model = getCamelContext().getCamelContextExtension().getContextPlugin(Model.class);
        for (String id : templateIds) {
            List<RouteTemplateDefinition> same = model.getRouteTemplateDefinitions().stream()
                    .filter(t -> id.equals(t.getId()))
                    .toList();
            if (same.size() > 1) {
                model.removeRouteTemplateDefinitions(same.subList(0, same.size() - 1));
            }
        }
    }

    private void recreate(TemplatedRouteDefinition definition) throws Exception {
        CamelContext camel = getCamelContext();
        String routeId = definition.getRouteId();
        if (camel.getRoute(routeId) != null) {
            camel.getRouteController().stopRoute(routeId);
            camel.removeRoute(routeId);
        }
        camel.getCamelContextExtension().getContextPlugin(Model.class).addRouteFromTemplatedRoute(definition);
    }

    private void removeRoutes(Collection<String> routeIds, Path file) throws Exception {
        CamelContext camel = getCamelContext();
        for (String routeId : routeIds) {
            if (camel.getRoute(routeId) != null) {
                camel.getRouteController().stopRoute(routeId);
                camel.removeRoute(routeId);
                log.info("Route {} removed: no longer in {}", routeId, relative(file));
            }
        }
    }

    /** Parses a route file without adding anything to the context. */
    private Declared read(Path file) throws Exception {
        Resource resource = PluginHelper.getResourceLoader(getCamelContext()).resolveResource("file:" + file);
        Set<String> routeIds = new LinkedHashSet<>();
        Set<String> templateIds = new LinkedHashSet<>();
        Map<String, String> templated = new LinkedHashMap<>();
        Map<String, TemplatedRouteDefinition> definitions = new LinkedHashMap<>();
        Collection<RoutesBuilder> builders =
                PluginHelper.getRoutesLoader(getCamelContext()).findRoutesBuilders(List.of(resource));
        for (RoutesBuilder builder : builders) {
            if (!(builder instanceof RouteBuilder routes)) {
                continue;
            }
            for (RouteDefinition route :
                    routes.configureRoutes(getCamelContext()).getRoutes()) {
                if (route.getRouteId() != null) {
                    routeIds.add(route.getRouteId());
                }
            }
            for (RouteTemplateDefinition template :
                    routes.getRouteTemplateCollection().getRouteTemplates()) {
                templateIds.add(template.getId());
            }
            for (TemplatedRouteDefinition definition :
                    routes.getTemplatedRouteCollection().getTemplatedRoutes()) {
                templated.put(definition.getRouteId(), signature(definition));
                definitions.put(definition.getRouteId(), definition);
            }
        }
        return new Declared(sha256(file), routeIds, templateIds, templated, definitions);
    }

    private static String signature(TemplatedRouteDefinition definition) {
        Map<String, String> parameters = new TreeMap<>();
        List<TemplatedRouteParameterDefinition> list = definition.getParameters();
        if (list != null) {
            list.forEach(p -> parameters.put(p.getName(), p.getValue()));
        }
        return definition.getRouteTemplateRef() + "|" + definition.getPrefixId() + "|" + definition.getGroup() + "|"
                + parameters + "|"
                + (definition.getBeans() == null ? 0 : definition.getBeans().size());
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(in.readAllBytes()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String relative(Path file) {
        return Path.of(getFolder())
                .toAbsolutePath()
                .normalize()
                .relativize(file)
                .toString();
    }

    private record Declared(
            String sha256,
            Set<String> routeIds,
            Set<String> templateIds,
            Map<String, String> templated,
            Map<String, TemplatedRouteDefinition> definitions) {

        static final Declared NONE = new Declared("", Set.of(), Set.of(), Map.of(), Map.of());

        Set<String> allRouteIds() {
            Set<String> all = new LinkedHashSet<>(routeIds);
            all.addAll(templated.keySet());
            return all;
        }
    }
}
