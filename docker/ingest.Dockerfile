# syntax=docker/dockerfile:1.7
# pagestream ingest. Build from the repository root:
#   docker build -f docker/ingest.Dockerfile -t ghcr.io/pagestream/ingest:0.1.0-SNAPSHOT .

FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY . .
# The Maven cache mount keeps dependencies between builds; -am builds the schemas and libraries ingest needs.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -DskipTests -pl services/ingest -am package

FROM eclipse-temurin:25-jre
# curl serves the health check only.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 pagestream && useradd --system --uid 10001 --gid 10001 --home-dir /opt/pagestream --shell /usr/sbin/nologin pagestream
WORKDIR /opt/pagestream
# Quarkus' fast-jar layout, dependencies first so a code change leaves the lib/ layer cached.
COPY --from=build --chown=10001:10001 /src/services/ingest/target/quarkus-app/lib/ lib/
COPY --from=build --chown=10001:10001 /src/services/ingest/target/quarkus-app/*.jar ./
COPY --from=build --chown=10001:10001 /src/services/ingest/target/quarkus-app/app/ app/
COPY --from=build --chown=10001:10001 /src/services/ingest/target/quarkus-app/quarkus/ quarkus/
USER 10001:10001
EXPOSE 8080 9000
ENV JAVA_OPTS_APPEND=""
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD curl -fsS http://127.0.0.1:9000/q/health/ready || exit 1
ENTRYPOINT ["sh", "-c", "exec java -XX:+ExitOnOutOfMemoryError $JAVA_OPTS_APPEND -jar /opt/pagestream/quarkus-run.jar"]
