package io.camelingestor;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns {@link NoDatabaseConfiguredException} into Spring Boot's short "APPLICATION FAILED TO START" report. */
class NoDatabaseConfiguredFailureAnalyzer extends AbstractFailureAnalyzer<NoDatabaseConfiguredException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, NoDatabaseConfiguredException cause) {
        return new FailureAnalysis(
                cause.getMessage() + ".",
                "Set SPRING_DATASOURCE_URL (jdbc:postgresql://<host>:5432/<database>), SPRING_DATASOURCE_USERNAME"
                        + " and SPRING_DATASOURCE_PASSWORD to a PostgreSQL 15 or newer (docker-compose.yml does, from"
                        + " .env). For a workstation's embedded database, build without -Dembedded-db=none.",
                cause);
    }
}
