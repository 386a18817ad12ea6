#!/bin/bash
# Rewrites src/test/resources/reference-fixture/expected.{json,bin}: the Java RandomCheckpoint writes the tiny random
# checkpoint, the independent PyTorch implementation computes the logits from it. Run from anywhere; needs JAVA_HOME,
# python3-torch and python3-numpy. Nothing is installed into ~/.m2.
set -euo pipefail
module="$(cd "$(dirname "$0")/../../.." && pwd)"
root="$(cd "$module/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root"
./mvnw -B -q -pl services/mono-internvl -am test-compile
./mvnw -B -q -pl services/mono-internvl dependency:build-classpath -Dmdep.outputFile="$work/classpath.txt" \
    -Dmdep.includeScope=test
classpath="$module/target/test-classes:$module/target/classes:$(cat "$work/classpath.txt")"
"$JAVA_HOME/bin/java" -cp "$classpath" io.pagestream.internvl.reference.FixtureCheckpoint "$work/checkpoint"
/usr/bin/python3 "$module/src/test/python/reference_forward.py" "$work/checkpoint" \
    "$module/src/test/resources/reference-fixture"
