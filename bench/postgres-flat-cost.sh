#!/usr/bin/env bash
# Flat cost on the 3-silo PostgreSQL cluster (deploy/local/cluster.sh --storage postgres), through the gateway: one
# tenant filled to each size in turn, then Entra-style creates/s, GET /Users/{id} and a deep list page measured.
#   bash bench/postgres-flat-cost.sh [SIZES...]      default: 10000 100000 1000000
# SECONDS_PER_RUN (default 10) is each warm-up's and each measurement's length. Needs wrk. The cluster runs in a
# scratch folder and is stopped at the end; the gateway's per-tenant rate limit is lifted (one tenant is the load).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
seconds=${SECONDS_PER_RUN:-10}
scratch=$(mktemp -d)
chmod 755 "$scratch"   # the PostgreSQL server (run as postgres where we are root) lives under it
export RFPIO_CLUSTER_DIR=$scratch/cluster
export RFPIO_GATEWAY_ARGS="--RateLimiting:PermitsPerSecond=1000000 --RateLimiting:Burst=1000000"
trap 'bash deploy/local/cluster.sh down --purge >/dev/null 2>&1; rm -rf "$scratch"' EXIT
bash deploy/local/cluster.sh up --storage postgres --silos 3 >/dev/null
key=$(cat "$RFPIO_CLUSTER_DIR/admin-api-key")
admin() { curl -sf -X "$1" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' "http://127.0.0.1:8081/admin/v1/tenants/$2" ${3:+-d "$3"}; }
sql() { psql -h 127.0.0.1 -p 15432 -U rfpio -d rfpio -tAc "$1"; }

tenant=flat$(date +%s)
admin PUT "$tenant" >/dev/null
admin PUT "$tenant/provisioning" '{"enabled":true}' >/dev/null
token=$(admin POST "$tenant/token" | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')
export SCIM_TOKEN=$token SCIM_HOST="$tenant.localhost"
gateway=http://127.0.0.1:8080
count() { admin GET "$tenant" | python3 -c 'import sys,json; print(json.load(sys.stdin)["userCount"])'; }
scim() { curl -sf -H "Host: $tenant.localhost" -H "Authorization: Bearer $token" "$gateway/rfpserver/scim/v2$1"; }

echo "3 silos + gateway + PostgreSQL + wrk on this machine's cores; ${seconds}s warm-up then ${seconds}s measured per row"
echo "| users in tenant | fill users/s | creates/s (filter + POST) | create p99 | GET by id p50 | GET p99 | list p50 | list p99 | db size | connections |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for size in "${sizes[@]}"; do
  start_count=$(count); start_time=$(date +%s.%N)
  while [ "$(count)" -lt "$size" ]; do
    POST_ONLY=1 RUN_ID=fill wrk -t2 -c64 -d20s -s bench/entra-creates.lua "$gateway" >/dev/null 2>&1
  done
  users=$(count)
  fill_rate=$(python3 -c "import time; print(round(($users - $start_count) / (time.time() - $start_time)))")

  RUN_ID=warm wrk -t1 -c32 -d"${seconds}s" -s bench/entra-creates.lua "$gateway" >/dev/null 2>&1
  out=$(RUN_ID=measure wrk -t1 -c32 -d"${seconds}s" --latency -s bench/entra-creates.lua "$gateway" 2>&1)
  creates=$(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2 / 2}')
  create_p99=$(echo "$out" | awk '$1=="99%" {print $2}')

  # 1,000 ids from ten pages at random depths, read in turn.
  targets=$scratch/targets
  : >"$targets"
  for _ in $(seq 1 10); do
    scim "/Users?startIndex=$(( (RANDOM * 32768 + RANDOM) % users + 1 ))&count=100&attributes=id" |
      python3 -c "import sys,json; [print('$tenant.localhost $token ' + r['id']) for r in json.load(sys.stdin)['Resources']]" >>"$targets"
  done
  TARGETS=$targets wrk -t1 -c32 -d"${seconds}s" -s bench/tenants-get.lua "$gateway" >/dev/null 2>&1
  out=$(TARGETS=$targets wrk -t1 -c32 -d"${seconds}s" --latency -s bench/tenants-get.lua "$gateway" 2>&1)
  get_p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  get_p99=$(echo "$out" | awk '$1=="99%" {print $2}')

  list=(-H "Host: $tenant.localhost" -H "Authorization: Bearer $token" "$gateway/rfpserver/scim/v2/Users?startIndex=$((users / 2))&count=100")
  wrk -t1 -c8 -d"${seconds}s" "${list[@]}" >/dev/null 2>&1
  out=$(wrk -t1 -c8 -d"${seconds}s" --latency "${list[@]}" 2>&1)
  list_p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  list_p99=$(echo "$out" | awk '$1=="99%" {print $2}')

  db=$(sql "SELECT pg_size_pretty(pg_database_size('rfpio'))")
  connections=$(sql "SELECT count(*) FROM pg_stat_activity WHERE datname = 'rfpio'")
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$users" "$fill_rate" "$creates" "$create_p99" "$get_p50" "$get_p99" "$list_p50" "$list_p99" "$db" "$connections"
done
