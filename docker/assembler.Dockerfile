# syntax=docker/dockerfile:1.7
# pagestream assembler. Build from the repository root:
#   docker build -f docker/assembler.Dockerfile -t ghcr.io/pagestream/assembler:0.1.0-SNAPSHOT .

FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY . .
# The Maven cache mount keeps dependencies between builds; -am builds the schemas and libraries assembler needs.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -DskipTests -pl services/assembler -am package

FROM eclipse-temurin:25-jre
# curl serves the health check only.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 pagestream && useradd --system --uid 10001 --gid 10001 --home-dir /opt/pagestream --shell /usr/sbin/nologin pagestream \
    && mkdir -p /var/lib/pagestream/state && chown 10001:10001 /var/lib/pagestream/state
WORKDIR /opt/pagestream
# Quarkus' fast-jar layout, dependencies first so a code change leaves the lib/ layer cached.
COPY --from=build --chown=10001:10001 /src/services/assembler/target/quarkus-app/lib/ lib/
COPY --from=build --chown=10001:10001 /src/services/assembler/target/quarkus-app/*.jar ./
COPY --from=build --chown=10001:10001 /src/services/assembler/target/quarkus-app/app/ app/
COPY --from=build --chown=10001:10001 /src/services/assembler/target/quarkus-app/quarkus/ quarkus/
USER 10001:10001
EXPOSE 8082 9000
# Kafka Streams state (RocksDB stores); mount a volume here so a restart does not restore from the changelogs.
ENV KAFKA_STREAMS_STATE_DIR=/var/lib/pagestream/state
VOLUME /var/lib/pagestream/state
ENV JAVA_OPTS_APPEND=""
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD curl -fsS http://127.0.0.1:9000/q/health/ready || exit 1
ENTRYPOINT ["sh", "-c", "exec java -XX:+ExitOnOutOfMemoryError $JAVA_OPTS_APPEND -jar /opt/pagestream/quarkus-run.jar"]
