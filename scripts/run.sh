#!/usr/bin/env bash
# Runs RfpioGateway on this machine on the embedded default: one silo (SQLite under src/Silo/data, localhost
# clustering) behind the gateway. SCIM: http://<tenant>.localhost:8080/rfpserver/scim/v2 (gateway);
# operator API: http://127.0.0.1:8081/admin/v1 (silo, not exposed by the gateway). Ctrl-C stops both.
#   bash scripts/run.sh [--log-requests] [--Setting=value ...]   (settings go to the silo)
set -euo pipefail
cd "$(dirname "$0")/.."

echo "Building the silo and the gateway..."
dotnet build -c Release src/Silo --nologo -v q
dotnet build -c Release src/Gateway --nologo -v q

pids=()
stop() { trap - INT TERM EXIT; for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop INT TERM EXIT

# --log-requests: one line per request from both hosts (ASP.NET Core's request log at Information).
log_requests=()
args=()
for arg in "$@"; do
  if [ "$arg" = --log-requests ]; then
    log_requests=(--Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics=Information)
  else
    args+=("$arg")
  fi
done

export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
dotnet src/Silo/bin/Release/net10.0/RfpioGateway.Silo.dll --contentRoot "$PWD/src/Silo" --Urls=http://127.0.0.1:8081 "${log_requests[@]}" "${args[@]}" &
pids+=($!)

# wait_ready URL SECONDS: polls a readiness endpoint; fails if it never answers 200 in time.
wait_ready() {
  for _ in $(seq 1 $(($2 * 2))); do
    curl -sf "$1" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  return 1
}

# The gateway starts once the silo is ready, so its first health probes find it (no start-up failures logged).
if ! wait_ready http://127.0.0.1:8081/health/ready 120; then
  echo "The silo did not become ready within 120 s (see its output above); stopping." >&2
  exit 1
fi
dotnet src/Gateway/bin/Release/net10.0/RfpioGateway.Gateway.dll --contentRoot "$PWD/src/Gateway" --Urls=http://localhost:8080 \
  --ReverseProxy:Clusters:silo:Destinations:silo1:Address=http://127.0.0.1:8081/ "${log_requests[@]}" &
pids+=($!)
if ! wait_ready http://127.0.0.1:8080/health/ready 60; then
  echo "The gateway did not become ready within 60 s (see its output above); stopping." >&2
  exit 1
fi
cat <<INFO

RfpioGateway is running (Ctrl-C stops it).
  Tenant URL:   http://<tenant>.localhost:8080/rfpserver/scim/v2
  Operator API: http://127.0.0.1:8081/admin/v1   key: $(cat src/Silo/data/admin-api-key 2>/dev/null || echo "see Admin:ApiKey")
  Create a tenant and a token:
    KEY=\$(cat src/Silo/data/admin-api-key)
    curl -X PUT  -H "Authorization: Bearer \$KEY" http://127.0.0.1:8081/admin/v1/tenants/acme
    curl -X PUT  -H "Authorization: Bearer \$KEY" -H 'Content-Type: application/json' -d '{"enabled":true}' http://127.0.0.1:8081/admin/v1/tenants/acme/provisioning
    curl -X POST -H "Authorization: Bearer \$KEY" http://127.0.0.1:8081/admin/v1/tenants/acme/token

INFO
wait -n "${pids[@]}"
