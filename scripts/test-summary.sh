#!/usr/bin/env bash
# Prints the test totals of the TRX files in a directory, and counts aloud the tests that need a
# real Kafka broker and did not run here (they are reported as not executed, never as passed).
set -euo pipefail
dir=${1:?usage: test-summary.sh RESULTS_DIR}
shopt -s nullglob
files=("$dir"/*.trx)
if [[ ${#files[@]} -eq 0 ]]; then echo "test-summary: no test results in $dir" >&2; exit 1; fi
sum() { grep -ho "<Counters [^>]*" "${files[@]}" | grep -o " $1=\"[0-9]*\"" | grep -o "[0-9]*" | awk '{ s += $1 } END { print s + 0 }'; }
total=$(sum total); passed=$(sum passed); failed=$(sum failed)
executed=$(sum executed)
notrun=$(( total - executed ))
# The names of the tests whose skip reason says they need a real broker.
realbroker_tests=$(awk '
  match($0, /<UnitTestResult [^>]*testName="[^"]*"/) { name = substr($0, RSTART, RLENGTH); sub(/.*testName="/, "", name); sub(/"$/, "", name) }
  /<Message>needs a real broker:/ { print "  - " name }' "${files[@]}" | sort -u)
realbroker=$(grep -c . <<<"$realbroker_tests" || true)
echo
if [[ -n "$realbroker_tests" ]]; then
  echo "$realbroker tests need a real broker and did not run here (set KAFKA_BOOTSTRAP_SERVERS or provide Docker to run them):"
  echo "$realbroker_tests"
fi
echo "$passed passed, $failed failed, $notrun skipped"
