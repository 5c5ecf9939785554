package io.camelingestor;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The packages follow the data flow and depend one way: core, coercion, dataset model, datasource registry,
 * batch ledger, the ingest
 * stages, the sources, then the web API and operations. A lower package never imports a higher one.
 */
class PackagesDependOneWayTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.camelingestor");

    @Test
    void noPackageCycles() {
        slices().matching("io.camelingestor.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void layersPointDownTheFlow() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("core")
                .definedBy("io.camelingestor.core..")
                .layer("coerce")
                .definedBy("io.camelingestor.coerce..")
                .layer("dataset")
                .definedBy("io.camelingestor.dataset..")
                .layer("datasource")
                .definedBy("io.camelingestor.datasource..")
                .layer("batch")
                .definedBy("io.camelingestor.batch..")
                .layer("read")
                .definedBy("io.camelingestor.ingest.read..")
                .layer("transform")
                .definedBy("io.camelingestor.ingest.transform..")
                .layer("stage")
                .definedBy("io.camelingestor.ingest.stage..")
                .layer("load")
                .definedBy("io.camelingestor.ingest.load..")
                .layer("reject")
                .definedBy("io.camelingestor.ingest.reject..")
                .layer("ingest")
                .definedBy("io.camelingestor.ingest")
                .layer("source")
                .definedBy("io.camelingestor.source..")
                .layer("web")
                .definedBy("io.camelingestor.web..")
                .layer("ops")
                .definedBy("io.camelingestor.ops..")
                .whereLayer("ops")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("web")
                .mayOnlyBeAccessedByLayers("ops")
                .whereLayer("source")
                .mayOnlyBeAccessedByLayers("web", "ops")
                .whereLayer("ingest")
                .mayOnlyBeAccessedByLayers("source", "web", "ops")
                .whereLayer("reject")
                .mayOnlyBeAccessedByLayers("ingest", "source", "web", "ops")
                .whereLayer("load")
                .mayOnlyBeAccessedByLayers("reject", "ingest", "source", "web", "ops")
                .whereLayer("stage")
                .mayOnlyBeAccessedByLayers("load", "reject", "ingest", "source", "web", "ops")
                .whereLayer("transform")
                .mayOnlyBeAccessedByLayers("stage", "load", "reject", "ingest", "source", "web", "ops")
                .whereLayer("read")
                .mayOnlyBeAccessedByLayers("transform", "stage", "load", "reject", "ingest", "source", "web", "ops")
                .whereLayer("batch")
                .mayOnlyBeAccessedByLayers(
                        "read", "transform", "stage", "load", "reject", "ingest", "source", "web", "ops")
                .whereLayer("datasource")
                .mayOnlyBeAccessedByLayers(
                        "batch", "read", "transform", "stage", "load", "reject", "ingest", "source", "web", "ops")
                .whereLayer("dataset")
                .mayOnlyBeAccessedByLayers(
                        "datasource",
                        "batch",
                        "read",
                        "transform",
                        "stage",
                        "load",
                        "reject",
                        "ingest",
                        "source",
                        "web",
                        "ops")
                .whereLayer("coerce")
                .mayOnlyBeAccessedByLayers(
                        "dataset",
                        "datasource",
                        "batch",
                        "read",
                        "transform",
                        "stage",
                        "load",
                        "reject",
                        "ingest",
                        "source",
                        "web",
                        "ops")
                .check(CLASSES);
    }
}
