package io.camelingestor;

/**
 * No {@code spring.datasource.url} is set and this build carries no embedded PostgreSQL (the container image is
 * built with {@code -Dembedded-db=none}): the service needs an external database.
 */
class NoDatabaseConfiguredException extends IllegalStateException {

    NoDatabaseConfiguredException() {
        super("No database configured: SPRING_DATASOURCE_URL is not set, and this build has no embedded PostgreSQL"
                + " (the container image never has one)");
    }
}
