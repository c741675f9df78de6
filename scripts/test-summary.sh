#!/usr/bin/env bash
# Prints the test totals of the TRX files of a test run and says where the real-broker tests ran: how many, against
# which broker and build, and how long their pass took; or, where no broker with real transactions could be had,
# counts aloud the ones that did not run (reported as not executed, never as passed).
#   test-summary.sh RESULTS_DIR [REAL_BROKER_RESULTS_DIR REAL_BROKER_SECONDS]
set -euo pipefail
dir=${1:?usage: test-summary.sh RESULTS_DIR [REAL_BROKER_RESULTS_DIR REAL_BROKER_SECONDS]}
real_dir=${2:-}
real_seconds=${3:-}
shopt -s nullglob
files=("$dir"/*.trx)
real_files=()
if [[ -n "$real_dir" ]]; then real_files=("$real_dir"/*.trx); fi
all=("${files[@]}" "${real_files[@]}")
if [[ ${#all[@]} -eq 0 ]]; then echo "test-summary: no test results in $dir" >&2; exit 1; fi
sum() { local counter=$1; shift; [[ $# -gt 0 ]] || { echo 0; return; }; grep -ho "<Counters [^>]*" "$@" | grep -o " $counter=\"[0-9]*\"" | grep -o "[0-9]*" | awk '{ s += $1 } END { print s + 0 }'; }
total=$(sum total "${all[@]}"); passed=$(sum passed "${all[@]}"); failed=$(sum failed "${all[@]}")
executed=$(sum executed "${all[@]}")
notrun=$(( total - executed ))
# The names of the tests whose skip reason says they need a real broker.
realbroker_tests=$(awk '
  match($0, /<UnitTestResult [^>]*testName="[^"]*"/) { name = substr($0, RSTART, RLENGTH); sub(/.*testName="/, "", name); sub(/"$/, "", name) }
  /<Message>needs a real broker:/ { print "  - " name }' "${all[@]}" | sort -u)
echo
if [[ -n "$realbroker_tests" ]]; then
  realbroker=$(grep -c . <<<"$realbroker_tests" || true)
  echo "$realbroker tests need a real broker and did not run here (no broker with real transactions: set KAFKA_BOOTSTRAP_SERVERS, provide Docker, or a kfake binary as STATEFUN_KAFKA_ORACLE):"
  echo "$realbroker_tests"
fi
if [[ ${#real_files[@]} -gt 0 ]]; then
  ran=$(sum executed "${real_files[@]}"); real_failed=$(sum failed "${real_files[@]}")
  brokers=$(sort -u "$real_dir/brokers.txt" 2>/dev/null | paste -sd ';' | sed 's/;/; /g')
  if [[ $ran -gt 0 ]]; then
    echo "$ran real-broker tests ran against ${brokers:-an unrecorded broker} ($real_failed failed; their pass added ${real_seconds:-?} s)"
  fi
fi
echo "$passed passed, $failed failed, $notrun skipped"
