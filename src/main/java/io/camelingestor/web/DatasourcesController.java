package io.camelingestor.web;

import io.camelingestor.datasource.DatasourceRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The datasource registry as the {@code datasource} table holds it: the file's datasources, imported devices and
 * devices met in inputs. Credentials are environment variable names; {@code credentialsSet} says whether each is
 * set, never its value.
 */
@RestController
@RequestMapping("/api/datasources")
@Tag(name = "datasources", description = "The datasource registry (conf/datasources.yaml, imported devices)")
class DatasourcesController {

    private final DatasourceRegistry registry;
    private final Environment environment;

    DatasourcesController(DatasourceRegistry registry, Environment environment) {
        this.registry = registry;
        this.environment = environment;
    }

    @GetMapping
    @Operation(summary = "Every datasource: external id, kind, alias, client, site, timezone, status, files, origin")
    Map<String, Object> list() {
        List<Map<String, Object>> datasources = registry.list();
        for (Map<String, Object> d : datasources) {
            Map<String, Boolean> set = new LinkedHashMap<>();
            if (d.get("credentials") instanceof Map<?, ?> credentials) {
                credentials.forEach((name, env) -> {
                    String value = environment.getProperty(String.valueOf(env));
                    set.put(String.valueOf(name), value != null && !value.isBlank());
                });
            }
            d.put("credentialsSet", set);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("file", registry.file().toString());
        body.put("error", registry.error());
        body.put("datasources", datasources);
        return body;
    }
}
