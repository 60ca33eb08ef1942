#!/usr/bin/env bash
# What the gateway costs, in one run on this machine (load generator on the same cores):
#   (a) a bare Kestrel JSON endpoint        (b) the same endpoint behind the gateway
#   (c) GET /Users/{id} straight to a silo  (d) GET /Users/{id} through the gateway
# Goal: (d)/(b) >= 0.7. Also prints (b)/(a), the gateway's own overhead.
#   bash bench/edge.sh [Sqlite|Memory] [seconds]
# The tenant's rate limit is raised for the run so it measures the path, not the limit (the limiter still runs).
source "$(dirname "$0")/lib.sh"
provider=${1:-Sqlite}
seconds=${2:-10}
# The Ceiling stand-in never marks a token accepted, so its requests spend the unauthenticated budget: raise that too.
unlimited=(--RateLimiting:PermitsPerSecond=10000000 --RateLimiting:Burst=10000000
  --RateLimiting:Unauthenticated:PerSourcePermitsPerSecond=10000000 --RateLimiting:Unauthenticated:PerSourceBurst=10000000
  --RateLimiting:Unauthenticated:PerTenantPermitsPerSecond=10000000 --RateLimiting:Unauthenticated:PerTenantBurst=10000000)

dotnet build -c Release bench/Ceiling --nologo -v q >/dev/null
ASPNETCORE_ENVIRONMENT=Production dotnet bench/Ceiling/bin/Release/net10.0/RfpioGateway.Ceiling.dll --urls http://127.0.0.1:5300 >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do curl -sf http://127.0.0.1:5300/ping >/dev/null && break; sleep 0.5; done
start_silo "$provider"
token=$(new_tenant bench)
auth=(-H "Authorization: Bearer $token")
id=$(curl -sf -H "Host: bench.localhost" "${auth[@]}" -H "Content-Type: application/scim+json" -d '{"userName":"bench-user@example.com","active":true}' \
  http://127.0.0.1:5400/rfpserver/scim/v2/Users | python3 -c 'import sys,json; print(json.load(sys.stdin)["id"])')

echo "provider=$provider seconds=$seconds (each measurement after a warm-up of the same length; wrk -t1 -c32)"
echo "| path | req/s | p50 | p99 | non-2xx |"
echo "| --- | ---: | ---: | ---: | ---: |"
row_a=$(measure "(a) bare Kestrel /ping" http://127.0.0.1:5300/ping); echo "$row_a"
start_gateway http://127.0.0.1:5300/ "${unlimited[@]}"
row_b=$(measure "(b) /ping behind the gateway" -H "Host: bench.rfpio.com" http://127.0.0.1:5500/rfpserver/scim/v2/ping); echo "$row_b"
kill "$gateway_pid"; wait "$gateway_pid" 2>/dev/null || true
row_c=$(measure "(c) GET /Users/{id} straight to the silo" -H "Host: bench.localhost" "${auth[@]}" "http://127.0.0.1:5400/rfpserver/scim/v2/Users/$id"); echo "$row_c"
start_gateway http://127.0.0.1:5400/ "${unlimited[@]}"
row_d=$(measure "(d) GET /Users/{id} through the gateway" -H "Host: bench.rfpio.com" "${auth[@]}" "http://127.0.0.1:5500/rfpserver/scim/v2/Users/$id"); echo "$row_d"
rps() { echo "$1" | awk -F'|' '{gsub(/ /, "", $3); print $3}'; }
python3 - "$(rps "$row_a")" "$(rps "$row_b")" "$(rps "$row_c")" "$(rps "$row_d")" <<'PY'
import sys
a, b, c, d = map(float, sys.argv[1:])
print(f"(d)/(b) = {d / b:.2f} (goal >= 0.7)   (b)/(a) = {b / a:.2f} (gateway overhead on a static answer)   (d)/(c) = {d / c:.2f}")
PY
