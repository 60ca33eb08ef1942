# Shared by the HTTP benchmark scripts: a scratch folder, background processes stopped on exit, and the silo.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# start_silo PROVIDER [extra args...]: a Release silo on 127.0.0.1:5400 with operator key "bench"; waits until it answers.
start_silo() {
  local provider=$1; shift
  dotnet build -c Release src/Silo --nologo -v q >/dev/null
  ASPNETCORE_ENVIRONMENT=Production dotnet src/Silo/bin/Release/net10.0/RfpioGateway.Silo.dll --contentRoot "$PWD/src/Silo" \
    --Urls=http://127.0.0.1:5400 --Storage:Provider="$provider" --Storage:Sqlite:Path="$work/bench.db" --Admin:ApiKey=bench \
    --Logging:LogLevel:Default=Warning "$@" >"$work/silo.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do curl -sf http://127.0.0.1:5400/health/live >/dev/null && return 0; sleep 0.5; done
  echo "the silo did not start; its log:" >&2; cat "$work/silo.log" >&2; return 1
}

# start_azurite: Azurite in memory on 127.0.0.1:10100-10102; sets azure_settings to the silo arguments that use it.
start_azurite() {
  [ -x tools/azurite/node_modules/.bin/azurite ] || npm ci --prefix tools/azurite --no-audit --no-fund --loglevel=error
  (cd tools/azurite && exec node_modules/.bin/azurite --silent --inMemoryPersistence --disableTelemetry --skipApiVersionCheck --loose \
     --blobHost 127.0.0.1 --blobPort 10100 --queueHost 127.0.0.1 --queuePort 10101 --tableHost 127.0.0.1 --tablePort 10102 >/dev/null 2>&1) &
  pids+=($!)
  for _ in $(seq 1 60); do (exec 3<>/dev/tcp/127.0.0.1/10102) 2>/dev/null && break; sleep 0.5; done
  local key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
  azure_settings=(--Storage:AzureStorage:ConnectionString="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:10100/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10101/devstoreaccount1;TableEndpoint=http://127.0.0.1:10102/devstoreaccount1;" --Auth:TokenPepper=bench-pepper)
}

# admin METHOD PATH [JSON]: the operator API under /admin/v1/tenants/.
admin() { curl -sf -X "$1" -H "Authorization: Bearer bench" "http://127.0.0.1:5400/admin/v1/tenants/$2" ${3:+-d "$3"}; }

# new_tenant NAME: creates the tenant, switches provisioning on and prints a fresh SCIM token.
new_tenant() {
  admin PUT "$1" >/dev/null
  admin PUT "$1/provisioning" '{"enabled":true}' >/dev/null
  admin POST "$1/token" | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])'
}

# user_count NAME: the tenant's users, as the operator API counts them.
user_count() { admin GET "$1" | python3 -c 'import sys,json; print(json.load(sys.stdin)["userCount"])'; }

# measure NAME WRK-ARGS...: a warm-up, then a measured wrk run of $seconds with 32 connections; prints a table row.
measure() {
  local name=$1; shift
  wrk -t1 -c32 -d"${seconds}s" "$@" >/dev/null 2>&1   # warm-up
  local out; out=$(wrk -t1 -c32 -d"${seconds}s" --latency "$@" 2>&1)
  local rps p50 p99 errors
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  printf '| %s | %s | %s | %s | %s |\n' "$name" "$rps" "$p50" "$p99" "${errors:-0}"
}

# start_gateway DESTINATION [extra args...]: a Release gateway on 127.0.0.1:5500 in front of one destination; waits until ready.
start_gateway() {
  local destination=$1; shift
  dotnet build -c Release src/Gateway --nologo -v q >/dev/null
  ASPNETCORE_ENVIRONMENT=Production dotnet src/Gateway/bin/Release/net10.0/RfpioGateway.Gateway.dll --contentRoot "$PWD/src/Gateway" \
    --Urls=http://127.0.0.1:5500 --ReverseProxy:Clusters:silo:Destinations:silo1:Address="$destination" \
    --Logging:LogLevel:Default=Warning "$@" >"$work/gateway.log" 2>&1 &
  gateway_pid=$!
  pids+=($gateway_pid)
  for _ in $(seq 1 120); do curl -sf http://127.0.0.1:5500/health/ready >/dev/null && return 0; sleep 0.5; done
  echo "the gateway did not become ready; its log:" >&2; cat "$work/gateway.log" >&2; return 1
}
