#!/usr/bin/env bash
# Does tenant affinity help? On the local 3-silo cluster (Azure Storage on Azurite), GET /Users/{id} for many tenants
# through the gateway, first with the TenantAffinity policy, then with RoundRobin, each phase on fresh tenants so
# their grains activate where that phase's first request lands.
#   bash bench/affinity.sh [tenants] [seconds]
# Starts the cluster if it is not up (deploy/local/cluster.sh) and leaves it running, with the gateway restarted on
# its default policy.
set -euo pipefail
cd "$(dirname "$0")/.."
tenants=${1:-30}
seconds=${2:-15}
cluster=deploy/local/cluster.sh
state=${RFPIO_CLUSTER_DIR:-$PWD/deploy/local/.cluster}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

restart_gateway() { # restart_gateway [settings...]
  [ -f "$state/gateway.pid" ] && kill "$(cat "$state/gateway.pid")" 2>/dev/null || true
  while [ -f "$state/gateway.pid" ] && kill -0 "$(cat "$state/gateway.pid")" 2>/dev/null; do sleep 0.2; done
  RFPIO_GATEWAY_ARGS="$*" bash "$cluster" up >/dev/null
}

setup_tenants() { # setup_tenants PREFIX: tenants with one user each; writes "host token id" lines
  local key; key=$(cat "$state/admin-api-key")
  for i in $(seq 1 "$tenants"); do
    local t="$1$i" token id
    curl -sf -X PUT -H "Authorization: Bearer $key" "http://127.0.0.1:8081/admin/v1/tenants/$t" >/dev/null
    curl -sf -X PUT -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d '{"enabled":true}' "http://127.0.0.1:8081/admin/v1/tenants/$t/provisioning" >/dev/null
    token=$(curl -sf -X POST -H "Authorization: Bearer $key" "http://127.0.0.1:8081/admin/v1/tenants/$t/token" | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')
    id=$(curl -sf -H "Host: $t.rfpio.com" -H "Authorization: Bearer $token" -H "Content-Type: application/scim+json" \
      -d "{\"userName\":\"user@$t.example.com\",\"active\":true}" http://127.0.0.1:8080/rfpserver/scim/v2/Users \
      | python3 -c 'import sys,json; print(json.load(sys.stdin)["id"])')
    echo "$t.rfpio.com $token $id"
  done >"$work/$1.txt"
}

measure() { # measure NAME PREFIX
  TARGETS="$work/$2.txt" wrk -t1 -c32 -d"${seconds}s" -s bench/tenants-get.lua http://127.0.0.1:8080 >/dev/null 2>&1   # warm-up
  local out; out=$(TARGETS="$work/$2.txt" wrk -t1 -c32 -d"${seconds}s" --latency -s bench/tenants-get.lua http://127.0.0.1:8080 2>&1)
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" \
    "$(echo "$out" | awk '$1=="50%" {print $2}')" "$(echo "$out" | awk '$1=="99%" {print $2}')" "$(echo "$out" | awk '/Non-2xx/ {print $5}')"
}

bash "$cluster" status | grep -q "gateway: ready" || bash "$cluster" up >/dev/null
run=$RANDOM
unlimited="--RateLimiting:PermitsPerSecond=10000000 --RateLimiting:Burst=10000000"
echo "tenants=$tenants seconds=$seconds (3 silos on Azurite, gateway on 8080, wrk -t1 -c32, each after a warm-up of the same length)"
echo "| policy | req/s | p50 | p99 | non-2xx |"
echo "| --- | ---: | ---: | ---: | ---: |"
# Alternating, twice, so neither policy always runs on the warmer (or fuller) cluster.
for round in 1 2; do
  restart_gateway "$unlimited"
  setup_tenants "aff$run-$round-"
  measure "TenantAffinity (round $round)" "aff$run-$round-"
  restart_gateway "$unlimited --ReverseProxy:Clusters:silo:LoadBalancingPolicy=RoundRobin"
  setup_tenants "rr$run-$round-"
  measure "RoundRobin (round $round)" "rr$run-$round-"
done
restart_gateway
