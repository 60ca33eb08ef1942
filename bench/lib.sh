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

# admin METHOD PATH [JSON]: the operator API under /admin/v1/tenants/.
admin() { curl -sf -X "$1" -H "Authorization: Bearer bench" "http://127.0.0.1:5400/admin/v1/tenants/$2" ${3:+-d "$3"}; }
