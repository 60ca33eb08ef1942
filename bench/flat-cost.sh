#!/usr/bin/env bash
# Does cost grow with tenant size? Create throughput and list-page latency in tenants of 1k, 10k and 100k users.
#   bash bench/flat-cost.sh [Memory|Sqlite|AzureStorage] [seconds]
# Needs wrk. Load goes to 127.0.0.1 only and stops by itself.
source "$(dirname "$0")/lib.sh"
provider=${1:-Memory}
seconds=${2:-10}
extra=()
if [ "$provider" = "AzureStorage" ]; then
  start_azurite
  extra=("${azure_settings[@]}")
fi
start_silo "$provider" "${extra[@]}"

echo "provider=$provider seconds=$seconds; creates = Entra filter + POST; list = GET /Users?startIndex=<middle>&count=100"
echo "| users in tenant | creates/s | create p99 | list req/s | list p50 | list p99 |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: |"
for size in 1000 10000 100000; do
  tenant="flat$size"
  token=$(new_tenant "$tenant")
  export SCIM_TOKEN=$token SCIM_HOST="$tenant.localhost"
  # Fill to the size (the last fill overshoots by at most one fill's worth).
  while [ "$(user_count "$tenant")" -lt "$size" ]; do
    RUN_ID=fill wrk -t1 -c32 -d2s -s bench/entra-creates.lua http://127.0.0.1:5400 >/dev/null 2>&1
  done
  users=$(user_count "$tenant")
  RUN_ID=warm wrk -t1 -c32 -d"${seconds}s" -s bench/entra-creates.lua http://127.0.0.1:5400 >/dev/null 2>&1
  out=$(RUN_ID=measure wrk -t1 -c32 -d"${seconds}s" --latency -s bench/entra-creates.lua http://127.0.0.1:5400 2>&1)
  creates=$(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2 / 2}')
  create_p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  middle=$((users / 2))
  list=(-H "Host: $tenant.localhost" -H "Authorization: Bearer $token" "http://127.0.0.1:5400/rfpserver/scim/v2/Users?startIndex=$middle&count=100")
  wrk -t1 -c8 -d"${seconds}s" "${list[@]}" >/dev/null 2>&1
  out=$(wrk -t1 -c8 -d"${seconds}s" --latency "${list[@]}" 2>&1)
  list_rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  list_p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  list_p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  printf '| %s | %s | %s | %s | %s | %s |\n' "$users" "$creates" "$create_p99" "$list_rps" "$list_p50" "$list_p99"
done
