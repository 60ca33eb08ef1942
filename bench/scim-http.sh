#!/usr/bin/env bash
# HTTP throughput of the silo's SCIM API next to a bare Kestrel endpoint, in one run, on this machine.
#   bash bench/scim-http.sh [Memory|Sqlite|AzureStorage] [seconds]
# Needs wrk (apt-get install wrk). Load goes to 127.0.0.1 only and stops by itself.
source "$(dirname "$0")/lib.sh"
provider=${1:-Memory}
seconds=${2:-10}

dotnet build -c Release bench/Ceiling --nologo -v q >/dev/null
extra=()
if [ "$provider" = "AzureStorage" ]; then
  start_azurite
  extra=("${azure_settings[@]}")
fi

ASPNETCORE_ENVIRONMENT=Production dotnet bench/Ceiling/bin/Release/net10.0/RfpioGateway.Ceiling.dll --urls http://127.0.0.1:5300 >/dev/null 2>&1 &
pids+=($!)
start_silo "$provider" "${extra[@]}"
for _ in $(seq 1 60); do curl -sf http://127.0.0.1:5300/ping >/dev/null && break; sleep 0.5; done

token=$(new_tenant bench)
scim=(-H "Host: bench.localhost" -H "Authorization: Bearer $token")
id=$(curl -sf "${scim[@]}" -H "Content-Type: application/scim+json" -d '{"userName":"bench-user@example.com","active":true}' \
  http://127.0.0.1:5400/rfpserver/scim/v2/Users | python3 -c 'import sys,json; print(json.load(sys.stdin)["id"])')

echo "provider=$provider seconds=$seconds (each measurement after a warm-up of the same length)"
echo "| path | req/s | p50 | p99 | non-2xx |"
echo "| --- | ---: | ---: | ---: | ---: |"
measure "bare Kestrel /ping" http://127.0.0.1:5300/ping
measure "GET /Users/{id}" "${scim[@]}" "http://127.0.0.1:5400/rfpserver/scim/v2/Users/$id"
measure "bare Kestrel /ping (again)" http://127.0.0.1:5300/ping
measure "GET /Users?filter=userName eq" "${scim[@]}" "http://127.0.0.1:5400/rfpserver/scim/v2/Users?filter=userName+eq+%22bench-user%40example.com%22"
measure "bare Kestrel /ping (again)" http://127.0.0.1:5300/ping
SCIM_TOKEN=$token SCIM_HOST=bench.localhost RUN_ID=$RANDOM measure "Entra create (filter + POST), 2 requests each" -s bench/entra-creates.lua http://127.0.0.1:5400
users=$(admin GET bench | python3 -c 'import sys,json; print(json.load(sys.stdin)["userCount"])')
echo "users in tenant after the run: $users"
