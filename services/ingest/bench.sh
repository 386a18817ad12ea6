#!/usr/bin/env bash
# Ingest benchmark: pages per second for a 100-page PDF (generated; and a real one with --real FILE) and the peak heap
# for a large generated PDF (--big-mb N). Prints figures; asserts nothing.
#   services/ingest/bench.sh [--real /usr/share/doc/gnutls-doc/gnutls.pdf] [--big-mb 500]
# Heap: BENCH_XMX (default 256m) — the large file must go through within it.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
./mvnw -B -q -pl services/ingest -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp >&2
CP="services/ingest/target/test-classes:services/ingest/target/classes:$(cat services/ingest/target/bench.cp)"
exec java -Xmx"${BENCH_XMX:-256m}" -Djava.awt.headless=true -cp "$CP" io.pagestream.ingest.bench.IngestBench "$@"
