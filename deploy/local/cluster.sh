#!/usr/bin/env bash
# A local stand-in for the Kubernetes deployment: the cluster store, three silos and the gateway, all on loopback.
# Used by the load tests and failover drills. The store is Azurite (Azure Table clustering and grain storage) or,
# with --storage postgres, a PostgreSQL server initialised here (initdb/pg_ctl, no system service needed).
#
#   deploy/local/cluster.sh up [--storage azure|postgres] [--silos N]
#                                    build, start everything, wait until ready, print how to use it
#   deploy/local/cluster.sh status   what runs, and whether each part is ready
#   deploy/local/cluster.sh down     stop everything it started (by PID); add --purge to delete the stored data too
#   deploy/local/cluster.sh kill N   SIGKILL silo N (1-3), for failover drills
#   deploy/local/cluster.sh restart N  start silo N again
#
# Ports: gateway 8080; silos HTTP 8081-8083, silo-to-silo 11111-11113, Orleans gateway 30000-30002;
# Azurite blob/queue/table 10000-10002 or PostgreSQL 15432. State (PIDs, logs, store data, generated secrets, the
# chosen store and silo count) in $RFPIO_CLUSTER_DIR (default deploy/local/.cluster). Extra silo settings:
# RFPIO_SILO_ARGS, e.g. "--Telemetry:Prometheus=false".
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
state=${RFPIO_CLUSTER_DIR:-$root/deploy/local/.cluster}
silos=3
storage=azure
gateway_url=http://127.0.0.1:8080
# Extra gateway settings, e.g. RFPIO_GATEWAY_ARGS="--ReverseProxy:Clusters:silo:LoadBalancingPolicy=RoundRobin".
gateway_args=${RFPIO_GATEWAY_ARGS:-}
silo_args=${RFPIO_SILO_ARGS:-}
pg_port=15432
# RFPIO_POSTGRES_OPTIONS adds connection string settings, e.g. "Max Auto Prepare=0".
pg_connection="Host=127.0.0.1;Port=$pg_port;Database=rfpio;Username=rfpio;Maximum Pool Size=50${RFPIO_POSTGRES_OPTIONS:+;$RFPIO_POSTGRES_OPTIONS}"

account_key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
connection="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$account_key;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;"

alive() { [ -f "$state/$1.pid" ] && kill -0 "$(cat "$state/$1.pid")" 2>/dev/null; }

start() { # start NAME COMMAND...: runs in the background, logs to $state/NAME.log, remembers the PID
  local name=$1; shift
  if alive "$name"; then echo "$name already runs (pid $(cat "$state/$name.pid"))"; return; fi
  "$@" >"$state/$name.log" 2>&1 &
  echo $! >"$state/$name.pid"
}

wait_for() { # wait_for NAME URL
  for _ in $(seq 1 240); do
    curl -sf "$2" >/dev/null 2>&1 && return 0
    alive "$1" || { echo "$1 stopped; the end of its log:" >&2; tail -n 30 "$state/$1.log" >&2; return 1; }
    sleep 0.5
  done
  echo "$1 is not ready at $2 after 120 s; see $state/$1.log" >&2
  return 1
}

secret() { # secret NAME: generated once per cluster; every silo must use the same value
  [ -s "$state/$1" ] || head -c 32 /dev/urandom | base64 | tr -d '\n' >"$state/$1"
  cat "$state/$1"
}

# The settings of the last 'up' (store and silo count), so status, down, kill and restart act on what runs.
load_settings() {
  [ -f "$state/storage" ] && storage=$(cat "$state/storage")
  [ -f "$state/silos" ] && silos=$(cat "$state/silos")
  return 0
}

storage_settings() { # the silo settings that name the cluster store, into the array store_args
  if [ "$storage" = postgres ]; then
    store_args=("--Storage:Provider=Postgres" "--Storage:Postgres:ConnectionString=$pg_connection")
  else
    store_args=("--Storage:Provider=AzureStorage" "--Storage:AzureStorage:ConnectionString=$connection")
  fi
}

# PostgreSQL refuses to run as root: where we are root, the server runs as the postgres account (or nobody).
as_db_owner() {
  if [ "$(id -u)" -ne 0 ]; then "$@"; return; fi
  local owner=postgres
  id "$owner" >/dev/null 2>&1 || owner=nobody
  chown -R "$owner" "$state/postgres"
  runuser -u "$owner" -- "$@"
}

pg_bin() { # the PostgreSQL program $1: on PATH, else Debian's versioned folder
  command -v "$1" 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1
}

start_postgres() {
  mkdir -p "$state/postgres"
  if [ ! -f "$state/postgres/data/PG_VERSION" ]; then
    [ -n "$(pg_bin initdb)" ] || { echo "PostgreSQL is not installed (initdb not found): apt-get install postgresql" >&2; exit 1; }
    as_db_owner "$(pg_bin initdb)" -D "$state/postgres/data" -U rfpio --auth=trust -E UTF8 --no-locale >"$state/postgres.log" 2>&1
  fi
  if ! as_db_owner "$(pg_bin pg_ctl)" -D "$state/postgres/data" status >/dev/null 2>&1; then
    as_db_owner "$(pg_bin pg_ctl)" -D "$state/postgres/data" -l "$state/postgres/server.log" -w \
      -o "-h 127.0.0.1 -p $pg_port -k $state/postgres -c max_connections=300 -c shared_buffers=512MB" start >>"$state/postgres.log"
  fi
  as_db_owner "$(pg_bin psql)" -h 127.0.0.1 -p $pg_port -U rfpio -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'rfpio'" | grep -q 1 ||
    as_db_owner "$(pg_bin createdb)" -h 127.0.0.1 -p $pg_port -U rfpio rfpio
}

stop_postgres() {
  [ -f "$state/postgres/data/PG_VERSION" ] || return 0
  if as_db_owner "$(pg_bin pg_ctl)" -D "$state/postgres/data" status >/dev/null 2>&1; then
    as_db_owner "$(pg_bin pg_ctl)" -D "$state/postgres/data" -m fast -w stop >/dev/null && echo "postgres stopped"
  fi
}

start_silo() { # start_silo N: silo N with the cluster's shared settings
  local n=$1 store_args
  storage_settings
  # shellcheck disable=SC2086 # silo_args is a list of settings
  start "silo$n" env ASPNETCORE_ENVIRONMENT=Production dotnet "$root/src/Silo/bin/Release/net10.0/RfpioGateway.Silo.dll" \
    --contentRoot "$root/src/Silo" --Urls="http://127.0.0.1:$((8080 + n))" \
    "${store_args[@]}" $silo_args \
    --Orleans:ClusterId=local --Orleans:SiloPort=$((11110 + n)) --Orleans:GatewayPort=$((29999 + n)) \
    "--Auth:TokenPepper=$(secret token-pepper)" "--Admin:ApiKey=$(secret admin-api-key)" \
    "--Tenancy:TenantUrlTemplate=http://{tenant}.localhost:8080/rfpserver/scim/v2"
}

up() {
  while [ $# -gt 0 ]; do
    case $1 in
      --storage) storage=${2:?azure or postgres}; shift 2 ;;
      --silos) silos=${2:?how many silos}; shift 2 ;;
      *) echo "unknown option $1" >&2; exit 2 ;;
    esac
  done
  case $storage in azure|postgres) ;; *) echo "--storage is azure or postgres, not $storage" >&2; exit 2 ;; esac
  mkdir -p "$state"
  echo "$storage" >"$state/storage"
  echo "$silos" >"$state/silos"
  dotnet build -c Release "$root/src/Silo" --nologo -v q
  dotnet build -c Release "$root/src/Gateway" --nologo -v q

  if [ "$storage" = postgres ]; then
    start_postgres
  else
    mkdir -p "$state/azurite"
    if [ ! -x "$root/tools/azurite/node_modules/.bin/azurite" ]; then
      npm ci --prefix "$root/tools/azurite" --no-audit --no-fund --loglevel=error
    fi
    start azurite "$root/tools/azurite/node_modules/.bin/azurite" --silent --disableTelemetry --skipApiVersionCheck --loose \
      --location "$state/azurite" --blobHost 127.0.0.1 --blobPort 10000 --queueHost 127.0.0.1 --queuePort 10001 \
      --tableHost 127.0.0.1 --tablePort 10002
    for _ in $(seq 1 60); do (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null && break; sleep 0.5; done
  fi

  local destinations=()
  for n in $(seq 1 $silos); do
    start_silo "$n"
    destinations+=("--ReverseProxy:Clusters:silo:Destinations:silo$n:Address=http://127.0.0.1:$((8080 + n))/")
  done
  # shellcheck disable=SC2086 # gateway_args is a list of settings
  start gateway env ASPNETCORE_ENVIRONMENT=Production dotnet "$root/src/Gateway/bin/Release/net10.0/RfpioGateway.Gateway.dll" \
    --contentRoot "$root/src/Gateway" --Urls=http://localhost:8080 "${destinations[@]}" $gateway_args

  for n in $(seq 1 $silos); do wait_for "silo$n" "http://127.0.0.1:$((8080 + n))/health/ready"; done
  wait_for gateway "$gateway_url/health/ready"
  cat <<INFO
Local cluster is up: $storage store, $silos silos, gateway.
  Tenant URL:   http://<tenant>.localhost:8080/rfpserver/scim/v2   (curl and browsers resolve *.localhost; other clients: connect to 127.0.0.1 with the Host header)
  Operator API: http://127.0.0.1:8081/admin/v1 (any silo)   key: $state/admin-api-key
    KEY=\$(cat $state/admin-api-key)
    curl -X PUT  -H "Authorization: Bearer \$KEY" http://127.0.0.1:8081/admin/v1/tenants/acme
    curl -X PUT  -H "Authorization: Bearer \$KEY" -H 'Content-Type: application/json' -d '{"enabled":true}' http://127.0.0.1:8081/admin/v1/tenants/acme/provisioning
    curl -X POST -H "Authorization: Bearer \$KEY" http://127.0.0.1:8081/admin/v1/tenants/acme/token
  Logs: $state/*.log    Stop: deploy/local/cluster.sh down
INFO
}

status() {
  local name url
  if [ "$storage" = postgres ]; then
    if as_db_owner "$(pg_bin pg_ctl)" -D "$state/postgres/data" status >/dev/null 2>&1; then echo "postgres: ready (port $pg_port)"; else echo "postgres: stopped"; fi
  fi
  for name in azurite $(seq -f "silo%g" 1 $silos) gateway; do
    [ "$name" = azurite ] && [ "$storage" = postgres ] && continue
    case $name in
      azurite) url="" ;;
      gateway) url="$gateway_url/health/ready" ;;
      *) url="http://127.0.0.1:$((8080 + ${name#silo}))/health/ready" ;;
    esac
    if ! alive "$name"; then echo "$name: stopped"; continue; fi
    if [ -z "$url" ] || curl -sf "$url" >/dev/null 2>&1; then echo "$name: ready (pid $(cat "$state/$name.pid"))"; else echo "$name: running, not ready (pid $(cat "$state/$name.pid"))"; fi
  done
}

down() {
  local name
  for name in gateway $(seq -f "silo%g" 1 $silos) azurite; do
    if alive "$name"; then
      kill "$(cat "$state/$name.pid")"
      for _ in $(seq 1 60); do alive "$name" || break; sleep 0.5; done
      alive "$name" && kill -9 "$(cat "$state/$name.pid")"
      echo "$name stopped"
    fi
    rm -f "$state/$name.pid"
  done
  [ "$storage" = postgres ] && stop_postgres
  if [ "${1:-}" = "--purge" ]; then rm -rf "$state"; echo "removed $state"; fi
}

[ "${1:-}" = up ] || load_settings
case ${1:-} in
  up) shift; up "$@" ;;
  status) status ;;
  down) down "${2:-}" ;;
  kill) # SIGKILL, then wait until it is gone, so a restart right after starts a new one
    alive "silo${2:?which silo}" && kill -9 "$(cat "$state/silo$2.pid")" && while alive "silo$2"; do sleep 0.1; done && echo "silo$2 killed (SIGKILL)" ;;
  restart) # start silo N again after a kill, with the same settings
    start_silo "${2:?which silo}" && wait_for "silo$2" "http://127.0.0.1:$((8080 + $2))/health/ready" && echo "silo$2 ready" ;;
  *) echo "usage: $0 up [--storage azure|postgres] [--silos N]|status|down [--purge]|kill N|restart N" >&2; exit 2 ;;
esac
