#!/usr/bin/env bash
# What a large initial sync leaves in the silo's memory, and for how long: fills one tenant with Entra-style creates,
# then reads the managed heap (after a full collection) right away and at intervals while the silo is idle.
#   bash bench/after-sync.sh [users] [provider]
# Needs wrk. Load goes to 127.0.0.1 only and stops by itself (about 5 minutes of idle readings).
source "$(dirname "$0")/lib.sh"
users=${1:-20000}
provider=${2:-Sqlite}
start_silo "$provider"
heap() { curl -sf -H "Authorization: Bearer bench" http://127.0.0.1:5400/admin/v1/diagnostics | python3 -c 'import sys,json; print("%.1f" % (json.load(sys.stdin)["managedHeapBytes"] / 1e6))'; }

token=$(new_tenant sync)
export SCIM_TOKEN=$token SCIM_HOST="sync.localhost"
echo "provider=$provider users=$users; heap before the sync: $(heap) MB"
started=$(date +%s)
while [ "$(user_count sync)" -lt "$users" ]; do
  RUN_ID=fill wrk -t1 -c32 -d5s -s bench/entra-creates.lua http://127.0.0.1:5400 >/dev/null 2>&1
done
echo "synced $(user_count sync) users in $(( $(date +%s) - started )) s"
echo "| idle for | managed heap MB |"
echo "| ---: | ---: |"
last=0
for at in 0 60 120 180 240 300; do
  sleep $((at - last)); last=$at
  echo "| ${at} s | $(heap) |"
done
