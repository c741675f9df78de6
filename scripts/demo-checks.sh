# Sourced by make run's scripts (run-local.sh, run-node.sh): what the demo shows after it killed the greeter's host.
# Needs: tools (statefun-mock-broker.dll), KAFKA_BOOTSTRAP_SERVERS, host_semantic.

# demo_greetings_once FILE: reads the whole greetings topic as a read_committed reader sees it (into FILE) and says
# whether every greeting of the walk is there exactly once (alice 1..3, bob 1..2): nothing lost, nothing repeated.
demo_greetings_once() {
  local file=$1 expected got missing repeated
  dotnet "$tools" consume --bootstrap "$KAFKA_BOOTSTRAP_SERVERS" --topic greetings --seconds 5 > "$file" 2>&1 || true
  expected=$(printf 'Hello %s, seen %s times\n' Alice 1 Alice 2 Alice 3 Bob 1 Bob 2 | sort)
  got=$(sed -n 's/.* value=//p' "$file" | sort)
  missing=$(comm -23 <(echo "$expected") <(echo "$got" | sort -u) | paste -sd ';' | sed 's/;/; /g')
  repeated=$(echo "$got" | uniq -d | paste -sd ';' | sed 's/;/; /g')
  if [[ -z "$missing" && -z "$repeated" ]]; then
    echo "run: read_committed, the greetings topic holds each greeting exactly once across the kill (alice 1..3, bob 1..2): nothing lost, nothing repeated ($host_semantic)"
  elif [[ -z "$missing" && "$host_semantic" != exactly-once ]]; then
    echo "run: nothing lost; repeated after the kill, as at-least-once allows: $repeated"
  else
    echo "run: NOT exactly once ($host_semantic): missing [${missing:-none}], repeated [${repeated:-none}]; see $file"
  fi
}
