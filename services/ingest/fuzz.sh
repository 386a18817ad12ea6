#!/usr/bin/env bash
# Ingest fuzz job: mutated PDFs, PNGs, JPEGs, TIFFs, WebPs and multipart forms against a running ingest (start one with
# ./pagestream up). Prints cases/s, the status histogram and every 5xx that is not 503 + Retry-After, with the seed
# that replays it; exits 1 on any. Options: --url --health --minutes --seed --threads --replay (IngestFuzz).
#   services/ingest/fuzz.sh --minutes 5 --health http://127.0.0.1:9000/q/health/ready
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
./mvnw -B -q -pl services/ingest -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/fuzz.cp >&2
CP="services/ingest/target/test-classes:services/ingest/target/classes:$(cat services/ingest/target/fuzz.cp)"
exec java -Xmx256m -Djava.awt.headless=true -cp "$CP" io.pagestream.ingest.fuzz.IngestFuzz "$@"
