# syntax=docker/dockerfile:1.7
# The pagestream command line, for jobs: `schemas register` (the Kubernetes Job and compose's one-shot) and
# `schemas check` (the services' init containers). A JRE image a few hundred MB in size, where the worker image that
# also carries the command line is a CUDA one of several GB. Build from the repository root:
#   docker build -f docker/cli.Dockerfile -t ghcr.io/pagestream/cli:0.1.0-SNAPSHOT .

FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -DskipTests -pl services/cli -am package

FROM eclipse-temurin:25-jre
RUN groupadd --system --gid 10001 pagestream && useradd --system --uid 10001 --gid 10001 --home-dir /opt/pagestream --shell /usr/sbin/nologin pagestream
WORKDIR /opt/pagestream
COPY --from=build --chown=10001:10001 /src/services/cli/target/lib/ cli/lib/
COPY --from=build --chown=10001:10001 /src/services/cli/target/pagestream-cli.jar cli/
USER 10001:10001
ENV JAVA_OPTS_APPEND=""
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS_APPEND -jar /opt/pagestream/cli/pagestream-cli.jar \"$@\"", "pagestream"]
