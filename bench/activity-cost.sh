#!/usr/bin/env bash
# What recording provisioning activity costs a tenant: Entra-style creates (filter + POST) against one silo with
# Activity:Enabled=true and =false, alternating twice, in one run. Goal: recording costs < 10% of throughput.
#   bash bench/activity-cost.sh [Sqlite|Memory|AzureStorage] [seconds]
source "$(dirname "$0")/lib.sh"
provider=${1:-Sqlite}
seconds=${2:-15}

phase() { # phase ENABLED ROUND
  start_silo "$provider" --Activity:Enabled="$1"
  local silo_pid=${pids[-1]}
  local token; token=$(new_tenant "cost$2$1")
  SCIM_TOKEN=$token SCIM_HOST="cost$2$1.localhost" RUN_ID=$RANDOM measure "Activity:Enabled=$1 (round $2), creates: 2 requests each" -s bench/entra-creates.lua http://127.0.0.1:5400
  kill "$silo_pid"; wait "$silo_pid" 2>/dev/null || true
}

echo "provider=$provider seconds=$seconds (wrk -t1 -c32, each after a warm-up of the same length; a fresh silo per phase)"
echo "| recording | req/s | p50 | p99 | non-2xx |"
echo "| --- | ---: | ---: | ---: | ---: |"
for round in 1 2; do
  phase true "$round"
  phase false "$round"
done
