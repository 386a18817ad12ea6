# syntax=docker/dockerfile:1.7
# pagestream worker, built against the CUDA ONNX Runtime (-Pgpu: onnxruntime_gpu, which needs CUDA 12 and cuDNN 9 at
# run time and falls back to the CPU where they cannot load). The image also carries the command line
# (/opt/pagestream/cli), whose `model init-random` and `model convert` prepare the model volume.
# Build from the repository root:
#   docker build -f docker/worker.Dockerfile -t ghcr.io/pagestream/worker:0.1.0-SNAPSHOT .

FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -DskipTests -Pgpu -pl services/worker,services/cli -am package

# Only the JRE is taken from this stage; the runtime base is NVIDIA's, for the CUDA and cuDNN libraries.
FROM eclipse-temurin:25-jre AS jre

# CUDA 12.6 with cuDNN 9 (NVIDIA's unnumbered "cudnn" tags are cuDNN 9 from CUDA 12.4 on), the pairing ONNX Runtime
# 1.23's CUDA build is made for.
FROM nvidia/cuda:12.6.3-cudnn-runtime-ubuntu22.04
ENV JAVA_HOME=/opt/java/openjdk
ENV PATH="${JAVA_HOME}/bin:${PATH}"
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 pagestream && useradd --system --uid 10001 --gid 10001 --home-dir /opt/pagestream --shell /usr/sbin/nologin pagestream \
    && mkdir -p /models && chown 10001:10001 /models
WORKDIR /opt/pagestream
COPY --from=build --chown=10001:10001 /src/services/worker/target/quarkus-app/lib/ lib/
COPY --from=build --chown=10001:10001 /src/services/worker/target/quarkus-app/*.jar ./
COPY --from=build --chown=10001:10001 /src/services/worker/target/quarkus-app/app/ app/
COPY --from=build --chown=10001:10001 /src/services/worker/target/quarkus-app/quarkus/ quarkus/
COPY --from=build --chown=10001:10001 /src/services/cli/target/lib/ cli/lib/
COPY --from=build --chown=10001:10001 /src/services/cli/target/pagestream-cli.jar cli/
USER 10001:10001
EXPOSE 8082 9000
# The checkpoint directory on the model volume; the ONNX conversion is written beside it unless
# PAGESTREAM_WORKER_MODEL_ONNX points elsewhere.
VOLUME /models
ENV JAVA_OPTS_APPEND=""
# The worker is ready only once the model is loaded and warmed up: a long start period.
HEALTHCHECK --interval=15s --timeout=5s --start-period=10m --retries=3 \
    CMD curl -fsS http://127.0.0.1:9000/q/health/ready || exit 1
ENTRYPOINT ["sh", "-c", "exec java -XX:+ExitOnOutOfMemoryError --enable-native-access=ALL-UNNAMED $JAVA_OPTS_APPEND -jar /opt/pagestream/quarkus-run.jar"]
