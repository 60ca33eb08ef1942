#!/usr/bin/env bash
# A/B of the SCIM hot path: this working tree against another revision, measured alternately in one run.
#   bash bench/ab.sh REV [rounds] [seconds] [silo|gateway]      e.g. bash bench/ab.sh HEAD~1 4 10 gateway
# silo (default): both silos run on Memory storage at once (idle between turns); wrk drives filter=userName eq, then
#   Entra's create (filter + POST), on each in turn, so drift of this shared machine hits both alike.
# gateway: each tree's gateway in front of its own silo, and two paths per round: the filter read and Entra's
#   create (filter + POST, bench/entra-creates.lua), both through the gateway.
# Needs wrk. Load goes to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: bench/ab.sh REV [rounds] [seconds] [silo|gateway]}
rounds=${2:-4}
seconds=${3:-10}
mode=${4:-silo}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; git worktree remove --force "$work/base" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

git worktree add -q --detach "$work/base" "$rev"
for tree in "$work/base" "$PWD"; do
  dotnet build -c Release "$tree/src/Silo" --nologo -v q >/dev/null
  [ "$mode" = gateway ] && dotnet build -c Release "$tree/src/Gateway" --nologo -v q >/dev/null
done

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

# gateway DIR PORT SILO-PORT: a Release gateway from DIR in front of that silo, with the rate limit out of the way.
gateway() {
  ASPNETCORE_ENVIRONMENT=Production dotnet "$1/src/Gateway/bin/Release/net10.0/RfpioGateway.Gateway.dll" --contentRoot "$1/src/Gateway" \
    --Urls="http://127.0.0.1:$2" --ReverseProxy:Clusters:silo:Destinations:silo1:Address="http://127.0.0.1:$3/" \
    --RateLimiting:PermitsPerSecond=10000000 --RateLimiting:Burst=10000000 --Logging:LogLevel:Default=Warning >"$work/$2.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$2/health/ready" >/dev/null && break; sleep 0.5; done
}

# read PORT TOKEN-PORT: filter=userName eq requests/s for $seconds.
read_rps() {
  wrk -t1 -c32 -d"${seconds}s" -H "Host: bench.localhost" -H "Authorization: Bearer $(cat "$work/$2")" \
    "http://127.0.0.1:$1/rfpserver/scim/v2/Users?filter=userName+eq+%22bench-user%40example.com%22" | awk '/Requests\/sec/ {print $2}'
}

# create_rps PORT TOKEN-PORT: Entra creates (filter + POST) as requests/s for $seconds.
create_rps() {
  SCIM_TOKEN=$(cat "$work/$2") SCIM_HOST=bench.localhost RUN_ID="$1r$RANDOM" wrk -t1 -c32 -d"${seconds}s" -s bench/entra-creates.lua \
    "http://127.0.0.1:$1" | awk '/Requests\/sec/ {print $2}'
}

start "$work/base" 5401
start "$PWD" 5402
# Where each tree is measured: its silo straight, or its gateway in front of it (tokens come from the silos).
base=5401 tree=5402
if [ "$mode" = gateway ]; then
  gateway "$work/base" 5411 5401
  gateway "$PWD" 5412 5402
  base=5411 tree=5412
fi
read_rps $base 5401 >/dev/null; read_rps $tree 5402 >/dev/null; create_rps $base 5401 >/dev/null; create_rps $tree 5402 >/dev/null   # warm-up
echo "| round | $rev read req/s | working tree read req/s | $rev create req/s | working tree create req/s |"
echo "| ---: | ---: | ---: | ---: | ---: |"
for round in $(seq 1 "$rounds"); do
  # Which tree goes first alternates by round, so neither always runs on the other's leftovers.
  if [ $((round % 2)) -eq 1 ]; then
    ra=$(read_rps $base 5401); rb=$(read_rps $tree 5402); ca=$(create_rps $base 5401); cb=$(create_rps $tree 5402)
  else
    rb=$(read_rps $tree 5402); ra=$(read_rps $base 5401); cb=$(create_rps $tree 5402); ca=$(create_rps $base 5401)
  fi
  printf '| %s | %s | %s | %s | %s |\n' "$round" "$ra" "$rb" "$ca" "$cb"
done
