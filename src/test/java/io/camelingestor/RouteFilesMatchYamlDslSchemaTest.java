package io.camelingestor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The routes are loaded from disk at start-up, so a misspelt key would only show when the service starts.
 * Checking them against the schema that camel-yaml-dsl ships (the one editors use) catches it at build time,
 * with the same Camel version as the runtime.
 */
class RouteFilesMatchYamlDslSchemaTest {

    private static final Path ROUTES = Path.of("routes");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = RouteFilesMatchYamlDslSchemaTest.class
                .getClassLoader()
                .getResourceAsStream("schema/camelYamlDsl.json")) {
            assertThat(in).as("schema/camelYamlDsl.json from camel-yaml-dsl").isNotNull();
            // the schema marks some options "deprecated", a keyword draft-04 does not know: not a rule to check
            JsonMetaSchema draft4 = JsonMetaSchema.builder(JsonMetaSchema.getV4())
                    .keyword(new NonValidationKeyword("deprecated"))
                    .build();
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4, factory -> factory.metaSchema(draft4))
                    .getSchema(in);
        }
    }

    static List<Path> routeFiles() throws IOException {
        try (Stream<Path> files = Files.walk(ROUTES)) {
            return files.filter(f -> Files.isRegularFile(f) && f.toString().endsWith(".yaml"))
                    .sorted()
                    .toList();
        }
    }

    private static Set<ValidationMessage> validate(JsonNode node) {
        return schema.validate(node);
    }

    private static String describe(Object source, Set<ValidationMessage> messages) {
        return source + " does not match the Camel YAML DSL schema:\n"
                + messages.stream().map(m -> "  " + m.getMessage()).sorted().collect(Collectors.joining("\n"));
    }

    @Test
    void everyRouteFolderIsChecked() throws IOException {
        // pipeline, dead letter, file-source template and the per-dataset sources at least
        assertThat(routeFiles())
                .hasSizeGreaterThanOrEqualTo(4)
                .contains(
                        ROUTES.resolve("pipeline.yaml"),
                        ROUTES.resolve("dead-letter.yaml"),
                        ROUTES.resolve("templates/file-source.yaml"),
                        ROUTES.resolve("sources/files.yaml"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routeFiles")
    void routeFileMatchesTheSchema(Path file) throws IOException {
        JsonNode node = YAML.readTree(file.toFile());

        assertThat(node).as("%s is a YAML list", file).isNotNull();
        assertThat(node.isArray()).as("%s is a YAML list", file).isTrue();
        Set<ValidationMessage> messages = validate(node);
        assertThat(messages).as(describe(file, messages)).isEmpty();
    }

    /**
     * Hawtio's route diagram (hawtio 5.2) links a route's first element to a node it never creates when that
     * element is an {@code <errorHandler>}, and from then on no diagram of the page can be drawn: a route that
     * needs its own error handler names a routeConfiguration instead ({@code routeConfigurationId}).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("routeFiles")
    void noRouteDeclaresItsOwnErrorHandler(Path file) throws IOException {
        for (JsonNode entry : YAML.readTree(file.toFile())) {
            for (String kind : List.of("route", "routeTemplate")) {
                JsonNode route = kind.equals("route")
                        ? entry.path(kind)
                        : entry.path(kind).path("route");
                assertThat(route.has("errorHandler"))
                        .as(
                                "%s: %s %s has its own errorHandler; use a routeConfiguration (routeConfigurationId)",
                                file,
                                kind,
                                route.path("id")
                                        .asText(entry.path(kind).path("id").asText()))
                        .isFalse();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                // kebab-case was dropped from the YAML DSL in Camel 4
                "- route: {from: {uri: \"direct:x\", steps: [{set-body: {constant: \"x\"}}]}}",
                // a misspelt key
                "- route: {from: {uri: \"direct:x\", stesp: [{log: {message: \"x\"}}]}}",
                "- rout: {from: {uri: \"direct:x\", steps: [{log: {message: \"x\"}}]}}",
                // an unknown processor
                "- route: {from: {uri: \"direct:x\", steps: [{sendTo: {uri: \"log:x\"}}]}}",
                // a template without its required id
                "- routeTemplate: {route: {from: {uri: \"direct:x\"}}}",
            })
    void theSchemaRefusesWhatCamelWouldRefuse(String yaml) throws IOException {
        Set<ValidationMessage> messages = validate(YAML.readTree(yaml));

        assertThat(messages).as("validation messages for %s", yaml).isNotEmpty();
    }

    @Test
    void theSchemaAcceptsAMinimalRoute() throws IOException {
        // the counterpart of the refusals above: they fail for their one mistake, not for the rest
        Set<ValidationMessage> messages =
                validate(YAML.readTree("- route: {from: {uri: \"direct:x\", steps: [{setBody: {constant: \"x\"}}]}}"));

        assertThat(messages).as(describe("a minimal route", messages)).isEmpty();
    }
}
