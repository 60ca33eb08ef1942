#!/usr/bin/env bash
# A/B of the SCIM read path: this working tree against another revision, measured alternately in one run.
#   bash bench/ab.sh REV [rounds] [seconds]      e.g. bash bench/ab.sh HEAD~1 4 10
# Both silos run on Memory storage at once (idle between turns); wrk drives filter=userName eq on each in turn,
# so drift of this shared machine hits both alike. Needs wrk. Load goes to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: bench/ab.sh REV [rounds] [seconds]}
rounds=${2:-4}
seconds=${3:-10}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; git worktree remove --force "$work/base" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

git worktree add -q --detach "$work/base" "$rev"
dotnet build -c Release "$work/base/src/Silo" --nologo -v q >/dev/null
dotnet build -c Release src/Silo --nologo -v q >/dev/null

# start DIR PORT: a Release silo from DIR with one tenant and one user; writes the tenant's token to $work/PORT.
start() {
  ASPNETCORE_ENVIRONMENT=Production dotnet "$1/src/Silo/bin/Release/net10.0/RfpioGateway.Silo.dll" --contentRoot "$1/src/Silo" \
    --Urls="http://127.0.0.1:$2" --Storage:Provider=Memory --Admin:ApiKey=bench --Orleans:SiloPort=$(($2 + 6000)) \
    --Orleans:GatewayPort=$(($2 + 25000)) --Logging:LogLevel:Default=Warning >"$work/$2.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$2/health/live" >/dev/null && break; sleep 0.5; done
  local admin=(-sf -H "Authorization: Bearer bench")
  curl "${admin[@]}" -X PUT "http://127.0.0.1:$2/admin/v1/tenants/bench" >/dev/null
  curl "${admin[@]}" -X PUT -d '{"enabled":true}' "http://127.0.0.1:$2/admin/v1/tenants/bench/provisioning" >/dev/null
  curl "${admin[@]}" -X POST "http://127.0.0.1:$2/admin/v1/tenants/bench/token" | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])' >"$work/$2"
  curl -sf -H "Host: bench.localhost" -H "Authorization: Bearer $(cat "$work/$2")" -H "Content-Type: application/scim+json" \
    -d '{"userName":"bench-user@example.com","active":true}' "http://127.0.0.1:$2/rfpserver/scim/v2/Users" >/dev/null
}

# run PORT: filter=userName eq requests/s for $seconds.
run() {
  wrk -t1 -c32 -d"${seconds}s" -H "Host: bench.localhost" -H "Authorization: Bearer $(cat "$work/$1")" \
    "http://127.0.0.1:$1/rfpserver/scim/v2/Users?filter=userName+eq+%22bench-user%40example.com%22" | awk '/Requests\/sec/ {print $2}'
}

start "$work/base" 5401
start "$PWD" 5402
run 5401 >/dev/null; run 5402 >/dev/null   # warm-up
echo "| round | $rev req/s | working tree req/s |"
echo "| ---: | ---: | ---: |"
for round in $(seq 1 "$rounds"); do
  printf '| %s | %s | %s |\n' "$round" "$(run 5401)" "$(run 5402)"
done
