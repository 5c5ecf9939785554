# The ingestor's image: the layered Spring Boot jar on a JRE 17, run as a non-root user. Built from the sources
# (multi-stage), so `docker compose up -d --build` on a fresh clone needs nothing else.
#
# The jar is built with -Dembedded-db=none: the image carries no embedded PostgreSQL and needs an external one
# (SPRING_DATASOURCE_URL, ..._USERNAME, ..._PASSWORD); without it the service stops at start and says so.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml ./
COPY src ./src
# the formatter (spotless) only matters to developers; the tests run in CI, not in the image build
RUN mvn -B -q -Dembedded-db=none -Dspotless.apply.skip=true -DskipTests package \
 && java -Djarmode=tools -jar target/ingestor.jar extract --layers --launcher --destination /layers

FROM eclipse-temurin:17-jre-noble
# curl: the health check; the user owns /data, the folders under /app are read-only mounts
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 ingestor \
 && useradd --system --uid 10001 --gid ingestor --home-dir /app --shell /usr/sbin/nologin ingestor \
 && mkdir -p /data /app/routes /app/mappings /app/conf /app/sql \
 && chown ingestor:ingestor /data
WORKDIR /app
# least changing layer first: a code change rebuilds only the last one
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
# defaults baked in; docker-compose.yml mounts the host's folders over them
COPY routes/ /app/routes/
COPY mappings/ /app/mappings/
COPY sql/ /app/sql/
COPY conf/ /app/conf/

ENV INGESTOR_DATA_DIR=/data \
    INGESTOR_ROUTES_DIR=/app/routes \
    INGESTOR_MAPPINGS_DIR=/app/mappings \
    INGESTOR_SQL_DIR=/app/sql \
    INGESTOR_CONF_DIR=/app/conf \
    TAGO_DEVICES_FILE=/app/conf/tago-devices.yaml \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:InitialRAMPercentage=25 -XX:+ExitOnOutOfMemoryError"

USER ingestor
VOLUME ["/data"]
EXPOSE 8080
# (no --start-period: the linter of .ci/container-checks.sh does not know it; 12 tries cover a slow start)
HEALTHCHECK --interval=10s --timeout=5s --retries=12 \
  CMD curl -fsS http://localhost:8080/actuator/health/readiness || exit 1
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
