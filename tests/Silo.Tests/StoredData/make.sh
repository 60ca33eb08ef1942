#!/usr/bin/env bash
# Writes the stored-data fixtures StoredDataTests reads: one tenant with users, written by the silo of revision
# REV into a SQLite file and into an Azurite account, through the operator API and the SCIM API as an IdP would.
# Run from anywhere: bash tests/Silo.Tests/StoredData/make.sh [REV]   (the fixtures in git came from 0dadb15,
# the last revision before the resource seam).
set -euo pipefail
rev=${1:-0dadb15}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; git -C "$root" worktree remove --force "$work/src" 2>/dev/null || true; rm -rf "$work"' EXIT

git -C "$root" worktree add --detach "$work/src" "$rev" >/dev/null
dotnet build "$work/src/src/Silo" -c Release --nologo -v q >/dev/null
silo_dll="$work/src/src/Silo/bin/Release/net10.0/RfpioGateway.Silo.dll"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
key=stored-data-operator-key

# Starts the old silo with extra settings, drives it, stops it gracefully (so SQLite checkpoints its WAL).
drive() {
  local out=$1; shift
  local port; port=$(free_port)
  ASPNETCORE_URLS="http://127.0.0.1:$port" dotnet "$silo_dll" --contentRoot "$work" \
    --Admin:ApiKey=$key --Auth:TokenPepper=stored-data-pepper --Orleans:ClusterId=stored-data --Orleans:ServiceId=stored-data \
    --Orleans:SiloPort="$(free_port)" --Orleans:GatewayPort="$(free_port)" --Logging:LogLevel:Default=Warning "$@" &
  local pid=$!
  local admin="http://127.0.0.1:$port/admin/v1"
  until curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null; do sleep 0.5; done
  local auth=(-H "Authorization: Bearer $key")
  curl -sf "${auth[@]}" -X PUT "$admin/tenants/legacy" -H 'Content-Type: application/json' -d '{"shardCount": 8}' >/dev/null
  curl -sf "${auth[@]}" -X PUT "$admin/tenants/legacy/provisioning" -H 'Content-Type: application/json' -d '{"enabled": true}' >/dev/null
  local token; token=$(curl -sf "${auth[@]}" -X POST "$admin/tenants/legacy/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  local scim=(-sf -H "Host: legacy.localhost" -H "Authorization: Bearer $token" -H "Content-Type: application/scim+json")
  local base="http://127.0.0.1:$port/rfpserver/scim/v2"
  post() { curl "${scim[@]}" -X POST "$base/Users" -d "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
  local ada grace linus
  ada=$(post '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],"userName":"Ada@Example.com","externalId":"ext-ada","name":{"givenName":"Ada","familyName":"Lovelace"},"displayName":"Ada","emails":[{"value":"ada@example.com","type":"work","primary":true}],"active":true,"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Engines","manager":{"value":"boss-1"}}}')
  grace=$(post '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"grace@example.com","externalId":"ext-grace","active":true}')
  linus=$(post '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"linus@example.com","externalId":"ext-linus","active":true}')
  curl "${scim[@]}" -X PATCH "$base/Users/$ada" -d '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"displayName","value":"Ada Lovelace"}]}' >/dev/null
  curl "${scim[@]}" -X PATCH "$base/Users/$grace" -d '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}' >/dev/null
  curl "${scim[@]}" -X DELETE "$base/Users/$linus" >/dev/null
  sleep 2 # the activity log flushes every second
  kill -TERM $pid; wait $pid || true
  printf '{"token":"%s","ada":"%s","grace":"%s","linus":"%s"}\n' "$token" "$ada" "$grace" "$linus" > "$out/written.json"
}

rm -rf "$here/sqlite" "$here/azurite"; mkdir -p "$here/sqlite" "$here/azurite"
drive "$here/sqlite" --Storage:Provider=Sqlite --Storage:Sqlite:Path="$here/sqlite/silo.db"

table=$(free_port)
"$root/tools/azurite/node_modules/.bin/azurite" --silent --disableTelemetry --skipApiVersionCheck --loose --location "$work/azurite" \
  --blobHost 127.0.0.1 --blobPort "$(free_port)" --queueHost 127.0.0.1 --queuePort "$(free_port)" --tableHost 127.0.0.1 --tablePort "$table" &
azurite=$!
until (exec 3<>/dev/tcp/127.0.0.1/$table) 2>/dev/null; do sleep 0.2; done
account="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
drive "$here/azurite" --Storage:Provider=AzureStorage "--Storage:AzureStorage:ConnectionString=$account"
kill -INT $azurite; wait $azurite || true
cp "$work/azurite/__azurite_db_table__.json" "$here/azurite/"
ls -la "$here/sqlite" "$here/azurite"
