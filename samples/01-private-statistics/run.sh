#!/usr/bin/env bash
# Use case 1 with three kinds of processes on loopback: a network gateway, St Mary's hospital node (SQLite in a temporary
# folder) and the data scientist's program (Program.cs beside this file). The data owner's part is played with CLI verbs.
# Run from anywhere: samples/01-private-statistics/run.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { /usr/bin/env python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)); }
# Waits until GET /health on 127.0.0.1:PORT answers 200 (bash's /dev/tcp: no curl needed).
wait_health() {
  local port="${1##*:}" reply
  for _ in $(seq 1 300); do
    if { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
      printf 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
      reply="$(head -n 1 <&3 || true)"; exec 3<&- 3>&-
      case "$reply" in *" 200"*) return 0 ;; esac
    fi
    sleep 0.3
  done
  echo "run.sh: $1 did not come up; its log:" >&2; cat "$2" >&2; return 1
}

export TESSERA_HOME="$work/home"
export TESSERA_OWNER_PASSWORD="$(head -c 24 /dev/urandom | base64)"
export Tessera__Node__HeartbeatInterval=00:00:01
gateway_port="$(free_port)"; node_port="$(free_port)"
gateway="http://127.0.0.1:$gateway_port"; node="http://127.0.0.1:$node_port"
owner=owner@hospital.example

./tessera --help >/dev/null   # builds the CLI once, with a message, before anything starts
echo "== the network gateway: $gateway"
./tessera network start --port "$gateway_port" --data "$work/gateway" >"$work/gateway.log" 2>&1 & pids+=($!)
wait_health "$gateway" "$work/gateway.log"
echo "== St Mary's hospital node: $node (listed on the gateway)"
./tessera node start --name st-mary-hospital --port "$node_port" --data "$work/hospital" --owner-email "$owner" \
  --network "$gateway" --public-url "$node/" >"$work/node.log" 2>&1 & pids+=($!)
wait_health "$node" "$work/node.log"

echo "== the data owner publishes February's birth records for two named colleagues"
TESSERA_PASSWORD="$TESSERA_OWNER_PASSWORD" ./tessera login --node "$node" --email "$owner"
readers=()
for colleague in midwife@hospital.example paediatrician@hospital.example; do
  code="$(./tessera users invite --node "$node" --email "$colleague" | tail -n 1)"
  id="$(TESSERA_PASSWORD="$(head -c 24 /dev/urandom | base64)" ./tessera register --node "$node" --email "$colleague" --code "$code" \
    | sed -E 's/.*user id ([0-9a-f]+)\..*/\1/')"
  readers+=(--reader "$id")
done
/usr/bin/env python3 - "$work/births.csv" <<'PY'
import random, sys
random.seed(20260201)
with open(sys.argv[1], "w") as f:
    f.write("weight,height\n")
    for _ in range(240):
        z = random.gauss(0, 1)
        f.write(f"{min(max(3.4 + 0.45 * z, 0.6), 5.9):.3f},{min(max(50 + 2.2 * (0.7 * z + 0.71 * random.gauss(0, 1)), 31), 64):.1f}\n")
PY
./tessera dataset publish --node "$node" --name births-2026-02 --file "$work/births.csv" \
  --description "Births at St Mary's in February 2026: weight (kg) and length (cm) per baby." \
  --column weight:0.5:6 --column height:30:65 --tag birth-records --tag february "${readers[@]}"

echo "== the data owner invites the data scientist"
scientist=ds@lab.example
scientist_password="$(head -c 24 /dev/urandom | base64)"
code="$(./tessera users invite --node "$node" --email "$scientist" | tail -n 1)"
scientist_id="$(TESSERA_PASSWORD="$scientist_password" ./tessera register --node "$node" --email "$scientist" --code "$code" \
  | tee /dev/stderr | sed -E 's/.*user id ([0-9a-f]+)\..*/\1/')"
dataset_id="$(./tessera dataset list --node "$node" --tag february | awk '/births-2026-02/ {print $1; exit}')"
echo "== the data owner gives her a differential-privacy budget of epsilon 2 on the dataset"
./tessera budget set --node "$node" --user "$scientist_id" --dataset "$dataset_id" --epsilon 2

echo "== the data scientist (a third process) knows only the gateway's address"
dotnet build samples/01-private-statistics -c Release --nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
TESSERA_PASSWORD="$scientist_password" dotnet samples/01-private-statistics/bin/Release/net10.0/private-statistics.dll \
  --network "$gateway" --email "$scientist" --timeout 120 & scientist_pid=$!

echo "== the data owner approves the request for the means when it arrives"
for _ in $(seq 1 240); do
  request="$(./tessera requests list --node "$node" --status Pending | awk '/Pending/ {print $1; exit}')"
  if [ -n "$request" ]; then
    ./tessera requests approve --node "$node" "$request" --reason "Aggregates over the whole month only"
    break
  fi
  sleep 0.5
done
wait "$scientist_pid"
echo "== the owner's view of the privacy budget spent"
./tessera budget list --node "$node"
echo "== the owner's audit log, last entries"
./tessera audit --node "$node" --limit 10
