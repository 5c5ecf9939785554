package io.camelingestor.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what the deployment files say about the ingestor, as Docker would: {@code docker-compose.yml} with its
 * {@code ${VAR}} interpolation from an env file, and the {@code Dockerfile}'s ENV, USER, WORKDIR, ENTRYPOINT and
 * the COPY order of the jar's layers. Only the syntax these files use is understood (a test helper, not a
 * Compose implementation: no Java library reads Compose files).
 */
final class ComposeFiles {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\$|\\$\\{([A-Za-z0-9_]+)(?:(:?[-?])([^}]*))?}");

    private ComposeFiles() {}

    /** {@code KEY=value} lines; comments and blank lines left out. */
    static Map<String, String> envFile(Path file) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            env.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
        }
        return env;
    }

    /** The compose file as maps and lists, every string interpolated as Compose does. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> compose(Path file, Map<String, String> env) throws IOException {
        Object tree = new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), Object.class);
        return (Map<String, Object>) interpolateTree(tree, env);
    }

    @SuppressWarnings("unchecked")
    private static Object interpolateTree(Object node, Map<String, String> env) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), interpolateTree(v, env)));
            return out;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(v -> interpolateTree(v, env)).toList();
        }
        return node instanceof String s ? interpolate(s, env) : node;
    }

    /** {@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR-default}}, {@code ${VAR:?error}}, {@code $$}. */
    static String interpolate(String text, Map<String, String> env) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value;
            if (m.group().equals("$$")) {
                value = "$";
            } else {
                String name = m.group(1);
                String op = m.group(2);
                String arg = m.group(3);
                String set = env.get(name);
                boolean missing = op != null && op.startsWith(":") ? set == null || set.isEmpty() : set == null;
                if (op == null) {
                    value = set == null ? "" : set;
                } else if (op.endsWith("-")) {
                    value = missing ? arg : set;
                } else if (missing) {
                    throw new IllegalStateException("compose refuses to start: " + arg);
                } else {
                    value = set;
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> service(Map<String, Object> compose, String name) {
        return (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get(name);
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new LinkedHashMap<>();
        ((Map<String, Object>) service.getOrDefault("environment", Map.of()))
                .forEach((k, v) -> env.put(k, v == null ? "" : String.valueOf(v)));
        return env;
    }

    /** The Dockerfile's instructions of its last stage (the image), continuation lines joined. */
    record Dockerfile(
            Map<String, String> env, String user, String workdir, List<String> entrypoint, List<String> layers) {

        static Dockerfile read(Path file) throws IOException {
            String joined = Files.readString(file).replaceAll("\\\\\\n", " ");
            List<String> lines = new ArrayList<>();
            for (String line : joined.split("\n")) {
                String l = line.strip();
                if (l.startsWith("FROM ")) {
                    lines.clear(); // only the last stage is the image
                }
                if (!l.isEmpty() && !l.startsWith("#")) {
                    lines.add(l);
                }
            }
            Map<String, String> env = new LinkedHashMap<>();
            String user = "root";
            String workdir = "/";
            List<String> entrypoint = List.of();
            List<String> layers = new ArrayList<>();
            Pattern pair = Pattern.compile("([A-Za-z0-9_]+)=(\"[^\"]*\"|\\S+)");
            Pattern layer = Pattern.compile("COPY --from=build /layers/([a-z-]+)/ \\./");
            for (String l : lines) {
                if (l.startsWith("ENV ")) {
                    Matcher m = pair.matcher(l.substring(4));
                    while (m.find()) {
                        env.put(m.group(1), m.group(2).replaceAll("^\"|\"$", ""));
                    }
                } else if (l.startsWith("USER ")) {
                    user = l.substring(5).strip();
                } else if (l.startsWith("WORKDIR ")) {
                    workdir = l.substring(8).strip();
                } else if (l.startsWith("ENTRYPOINT ")) {
                    entrypoint = List.of(new ObjectMapper().readValue(l.substring(11), String[].class));
                } else {
                    Matcher m = layer.matcher(l);
                    if (m.matches()) {
                        layers.add(m.group(1));
                    }
                }
            }
            return new Dockerfile(env, user, workdir, entrypoint, layers);
        }
    }
}
