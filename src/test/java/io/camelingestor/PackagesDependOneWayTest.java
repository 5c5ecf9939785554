package io.camelingestor;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packages follow the data flow and depend one way: core, coercion, dataset model, datasource registry,
 * batch ledger, the ingest stages, the sources, then the web API and operations. A lower package never
 * imports a higher one. ArchUnit's {@code check} fails the test with every offending dependency.
 */
class PackagesDependOneWayTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.camelingestor");

    /** Layer name → its packages, from the bottom of the flow to the top. */
    private static final Map<String, String> LAYERS = new LinkedHashMap<>();

    static {
        LAYERS.put("core", "io.camelingestor.core..");
        LAYERS.put("coerce", "io.camelingestor.coerce..");
        LAYERS.put("dataset", "io.camelingestor.dataset..");
        LAYERS.put("datasource", "io.camelingestor.datasource..");
        LAYERS.put("batch", "io.camelingestor.batch..");
        LAYERS.put("read", "io.camelingestor.ingest.read..");
        LAYERS.put("transform", "io.camelingestor.ingest.transform..");
        LAYERS.put("stage", "io.camelingestor.ingest.stage..");
        LAYERS.put("load", "io.camelingestor.ingest.load..");
        LAYERS.put("reject", "io.camelingestor.ingest.reject..");
        LAYERS.put("ingest", "io.camelingestor.ingest");
        LAYERS.put("source", "io.camelingestor.source..");
        LAYERS.put("web", "io.camelingestor.web..");
        LAYERS.put("ops", "io.camelingestor.ops..");
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.camelingestor.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void layersPointDownTheFlow() {
        LayeredArchitecture rule = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (Map.Entry<String, String> layer : LAYERS.entrySet()) {
            rule = rule.layer(layer.getKey()).definedBy(layer.getValue());
        }
        List<String> names = List.copyOf(LAYERS.keySet());
        for (int i = 0; i < names.size() - 1; i++) {
            List<String> above = names.subList(i + 1, names.size());
            rule = rule.whereLayer(names.get(i)).mayOnlyBeAccessedByLayers(above.toArray(String[]::new));
        }
        rule.whereLayer(names.get(names.size() - 1))
                .mayNotBeAccessedByAnyLayer()
                .check(CLASSES);
    }
}
