package io.camelingestor.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The exchange properties are a contract between the route files and the beans. Every property a route under
 * {@code routes/} reads ({@code ${exchangeProperty.X}}, {@code exchangeProperty: X}) or writes
 * ({@code setProperty}/{@code removeProperty} {@code name: X}) must be declared in {@link ExchangeProperties},
 * the names Java uses; likewise every header ({@code ${header.X}}, {@code setHeader}) in {@link ExchangeHeaders};
 * Camel's own ({@code Camel...}) excepted. A rename on one side only fails here.
 */
class ExchangePropertiesTest {

    private static final Path ROUTES = Path.of("routes");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** How routes read and write exchange properties. */
    static final Kind PROPERTIES = new Kind("exchangeProperty", "setProperty", "removeProperty");

    /** How routes read and write headers. */
    static final Kind HEADERS = new Kind("header", "setHeader", "removeHeader");

    /** A simple-language prefix ({@code ${header.X}}), and the steps that name one in {@code name}. */
    record Kind(String expression, String set, String remove) {
        Pattern simple() {
            return Pattern.compile("\\$\\{" + expression + "\\.([A-Za-z_][A-Za-z0-9_]*)");
        }
    }

    static Set<String> declared() {
        return declared(ExchangeProperties.class);
    }

    static Set<String> declared(Class<?> names) {
        return Arrays.stream(names.getDeclaredFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
                .map(ExchangePropertiesTest::value)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String value(Field field) {
        try {
            return (String) field.get(null);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    /** Names of one kind used by one YAML document, each with where it was found. */
    static List<String> uses(JsonNode node, String where, Kind kind) {
        List<String> found = new ArrayList<>();
        collect(node, where, kind, kind.simple(), found);
        return found;
    }

    private static void collect(JsonNode node, String where, Kind kind, Pattern simple, List<String> found) {
        if (node.isTextual()) {
            Matcher m = simple.matcher(node.asText());
            while (m.find()) {
                found.add(m.group(1) + " (" + where + ")");
            }
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, where, kind, simple, found));
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String key = field.getKey();
                JsonNode child = field.getValue();
                if ((key.equals(kind.set()) || key.equals(kind.remove()))
                        && child.path("name").isTextual()) {
                    found.add(child.path("name").asText() + " (" + where + ", " + key + ")");
                } else if (key.equals(kind.expression()) && child.isTextual()) {
                    found.add(child.asText() + " (" + where + ", " + key + " expression)");
                } else if (key.equals(kind.expression())
                        && child.path("expression").isTextual()) {
                    found.add(child.path("expression").asText() + " (" + where + ", " + key + " expression)");
                }
                collect(child, where, kind, simple, found);
            }
        }
    }

    static List<String> undeclared(List<String> uses, Set<String> declared) {
        return uses.stream()
                .filter(u -> {
                    String name = u.substring(0, u.indexOf(' '));
                    return !name.startsWith("Camel") && !declared.contains(name);
                })
                .distinct()
                .sorted()
                .toList();
    }

    static List<String> usesInRouteFiles(Kind kind) throws IOException {
        List<String> all = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROUTES)) {
            for (Path file : files.filter(
                            f -> Files.isRegularFile(f) && f.toString().endsWith(".yaml"))
                    .sorted()
                    .toList()) {
                all.addAll(uses(YAML.readTree(file.toFile()), file.toString(), kind));
            }
        }
        return all;
    }

    @Test
    void everyPropertyTheRoutesUseIsDeclared() throws IOException {
        List<String> uses = usesInRouteFiles(PROPERTIES);
        // the scan sees the routes' reads and writes, or this test would pass on nothing
        assertThat(uses.stream().map(u -> u.substring(0, u.indexOf(' '))))
                .contains("envelope", "stageResult", "duplicateOf", "httpRunError", "httpSourceBusy", "window")
                .contains("ingestorArchiveTo", "device", "dataset");
        assertThat(undeclared(uses, declared()))
                .as("exchange properties used in routes/ but not declared in ExchangeProperties")
                .isEmpty();
    }

    @Test
    void everyHeaderTheRoutesUseIsDeclared() throws IOException {
        List<String> uses = usesInRouteFiles(HEADERS);
        assertThat(uses.stream().map(u -> u.substring(0, u.indexOf(' '))))
                .contains("sourceId", "httpSourceRunNow", "CamelFileAbsolutePath");
        assertThat(undeclared(uses, declared(ExchangeHeaders.class)))
                .as("headers used in routes/ but not declared in ExchangeHeaders")
                .isEmpty();
    }

    @Test
    void aRenameOnOneSideOnlyIsFound() throws IOException {
        JsonNode route = YAML.readTree(
                """
                - route:
                    from:
                      uri: direct:x
                      steps:
                        - setProperty: {id: a, name: enveloppe, simple: "${body}"}
                        - log: {id: b, message: "${exchangeProperty.stageResults.rowsTotal()} ${exchangeProperty.CamelSplitIndex}"}
                        - setBody: {id: c, exchangeProperty: {expression: batchId}}
                        - setHeader: {id: d, name: sourceID, simple: "${routeId}"}
                        - log: {id: e, message: "${header.sourceId} ${header.runNow} ${header.CamelFileName}"}
                """);
        assertThat(undeclared(uses(route, "sample", PROPERTIES), declared()))
                .containsExactly("enveloppe (sample, setProperty)", "stageResults (sample)");
        assertThat(undeclared(uses(route, "sample", HEADERS), declared(ExchangeHeaders.class)))
                .containsExactly("runNow (sample)", "sourceID (sample, setHeader)");
    }

    @Test
    void namesAreUnique() {
        for (Class<?> names : List.of(ExchangeProperties.class, ExchangeHeaders.class)) {
            long constants = Arrays.stream(names.getDeclaredFields())
                    .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
                    .count();
            assertThat(declared(names)).as(names.getSimpleName()).hasSize((int) constants);
        }
    }
}
