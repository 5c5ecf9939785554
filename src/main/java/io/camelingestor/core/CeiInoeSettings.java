package io.camelingestor.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;

/**
 * The settings of CEI-InOE (the Python ingestor this service replaces), each mapped onto this service's own
 * property, in this one place; the README's "Coming from CEI-InOE" lists them.
 *
 * <ul>
 *   <li>{@code .env} in the working folder (as the original's compose file passes it): its {@code NAME=value}
 *       lines are read as settings, below the real environment (a variable that is set wins).
 *   <li>{@code DB_DSN} ({@code postgres://user:pass@host:port/db?params}) → {@code spring.datasource.url},
 *       {@code .username}, {@code .password}; {@code WATCH_DIR} → {@code ingestor.watch-dir};
 *       {@code PROCESSED_DIR}, {@code REJECTED_DIR}, {@code MAPPINGS_DIR}, {@code CONF_DIR} →
 *       {@code ingestor.processed-dir}, {@code .rejected-dir}, {@code .mappings-dir}, {@code .conf-dir};
 *       {@code FILE_POLL_INTERVAL}, {@code FILE_STABLE_SECONDS} (seconds) → {@code ingestor.files.poll-delay},
 *       {@code .stable-for} (ms); {@code NUM_WORKERS} → {@code ingestor.workers}; {@code QUEUE_MAX_SIZE} →
 *       {@code ingestor.queue-max-size}; {@code LOG_LEVEL} → {@code logging.level.io.camelingestor}.
 *       These rank just below the real environment: a property of this service set in the environment, on the
 *       command line or as a system property wins over its CEI-InOE name; the CEI-InOE name wins over
 *       {@code application.properties}.
 *   <li>{@code FUSIONSOLAR_API_URL} as the original documents it (ending in {@code /thirdData}) loses that
 *       suffix: the FusionSolar routes add {@code /thirdData/...} themselves.
 *   <li>Defaults of the original where they differ: {@code FUSIONSOLAR_LOOKBACK_DAYS} 30.
 * </ul>
 */
public class CeiInoeSettings implements EnvironmentPostProcessor {

    static final String DOTENV = "ceiInoeDotEnv";
    static final String SETTINGS = "ceiInoeSettings";
    static final String OVERRIDES = "ceiInoeOverrides";
    static final String DEFAULTS = "ceiInoeDefaults";

    /** CEI-InOE name → this service's property, for settings taken as they are. */
    private static final Map<String, String> RENAMED = Map.of(
            "WATCH_DIR", "ingestor.watch-dir",
            "PROCESSED_DIR", "ingestor.processed-dir",
            "REJECTED_DIR", "ingestor.rejected-dir",
            "MAPPINGS_DIR", "ingestor.mappings-dir",
            "CONF_DIR", "ingestor.conf-dir");

    private static final List<String> LOG_LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        MutablePropertySources sources = environment.getPropertySources();
        String anchor = sources.contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)
                ? StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME
                : null;
        Path dotEnv = Path.of(environment.getProperty("ingestor.dotenv", ".env"));
        if (Files.isRegularFile(dotEnv) && !sources.contains(DOTENV)) {
            MapPropertySource source = new MapPropertySource(DOTENV, readDotEnv(dotEnv));
            if (anchor != null) {
                sources.addAfter(anchor, source);
            } else {
                sources.addLast(source);
            }
        }
        Map<String, Object> settings = settings(environment);
        if (!settings.isEmpty() && !sources.contains(SETTINGS)) {
            MapPropertySource source = new MapPropertySource(SETTINGS, settings);
            if (anchor != null) {
                sources.addAfter(anchor, source);
            } else {
                sources.addFirst(source);
            }
        }
        String fusionSolar = environment.getProperty("FUSIONSOLAR_API_URL");
        if (fusionSolar != null && fusionSolar.matches("(?i).*/thirdData/?") && !sources.contains(OVERRIDES)) {
            sources.addFirst(new MapPropertySource(
                    OVERRIDES, Map.of("FUSIONSOLAR_API_URL", fusionSolar.replaceFirst("(?i)/thirdData/?$", ""))));
        }
        if (!sources.contains(DEFAULTS)) {
            sources.addLast(new MapPropertySource(DEFAULTS, Map.of("FUSIONSOLAR_LOOKBACK_DAYS", "30")));
        }
    }

    /** The service's properties that the CEI-InOE settings present in the environment stand for. */
    static Map<String, Object> settings(ConfigurableEnvironment env) {
        Map<String, Object> out = new LinkedHashMap<>();
        String dsn = env.getProperty("DB_DSN");
        if (dsn != null && !dsn.isBlank()) {
            out.putAll(dataSource(dsn.strip()));
        }
        RENAMED.forEach((old, property) -> {
            String value = env.getProperty(old);
            if (value != null && !value.isBlank()) {
                out.put(property, value.strip());
            }
        });
        seconds(env, "FILE_POLL_INTERVAL").ifPresent(ms -> out.put("ingestor.files.poll-delay", ms));
        seconds(env, "FILE_STABLE_SECONDS").ifPresent(ms -> out.put("ingestor.files.stable-for", ms));
        positive(env, "NUM_WORKERS").ifPresent(n -> out.put("ingestor.workers", n));
        positive(env, "QUEUE_MAX_SIZE").ifPresent(n -> out.put("ingestor.queue-max-size", n));
        String level = env.getProperty("LOG_LEVEL");
        if (level != null && !level.isBlank()) {
            String normalized =
                    switch (level.strip().toUpperCase(Locale.ROOT)) {
                        case "WARNING" -> "WARN";
                        case "CRITICAL", "FATAL" -> "ERROR";
                        default -> level.strip().toUpperCase(Locale.ROOT);
                    };
            if (!LOG_LEVELS.contains(normalized)) {
                throw new IllegalStateException(
                        "LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL; found '" + level + "'");
            }
            out.put("logging.level.io.camelingestor", normalized);
        }
        return out;
    }

    /**
     * {@code postgres://user:pass@host:port/db?params} (or {@code postgresql://}) as a JDBC URL, user name and
     * password (percent-decoded). An error names the variable, never its value (it holds the password).
     */
    public static Map<String, Object> dataSource(String dsn) {
        URI uri;
        try {
            uri = new URI(dsn);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("DB_DSN is not a postgres://user:password@host:port/database URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("postgres") && !scheme.equals("postgresql") || uri.getHost() == null) {
            throw new IllegalStateException(
                    "DB_DSN must have the form postgres://user:password@host:port/database (scheme postgres or postgresql)");
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        StringBuilder url = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
        if (uri.getPort() > 0) {
            url.append(':').append(uri.getPort());
        }
        url.append(path);
        if (uri.getRawQuery() != null) {
            url.append('?').append(uri.getRawQuery());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("spring.datasource.url", url.toString());
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            out.put("spring.datasource.username", decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
            if (colon >= 0) {
                out.put("spring.datasource.password", decode(userInfo.substring(colon + 1)));
            }
        }
        return out;
    }

    private static String decode(String value) {
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static java.util.Optional<Long> seconds(ConfigurableEnvironment env, String name) {
        return positive(env, name).map(s -> s * 1000);
    }

    private static java.util.Optional<Long> positive(ConfigurableEnvironment env, String name) {
        String value = env.getProperty(name);
        if (value == null || value.isBlank()) {
            return java.util.Optional.empty();
        }
        try {
            long n = Long.parseLong(value.strip());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return java.util.Optional.of(n);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + " must be a whole number, found '" + value + "'");
        }
    }

    /**
     * The {@code .env} file as python-dotenv reads it: {@code NAME=value} lines, optional {@code export},
     * comments and blank lines skipped, values optionally in single or double quotes. Hand-written: the format
     * is a few lines and no library of the project reads it.
     */
    static Map<String, Object> readDotEnv(Path file) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2
                    && (value.startsWith("\"") && value.endsWith("\"")
                            || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            } else {
                int comment = value.indexOf(" #");
                if (comment >= 0) {
                    value = value.substring(0, comment).strip();
                }
            }
            out.put(name, value);
        }
        return out;
    }
}
