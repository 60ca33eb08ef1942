#!/usr/bin/env bash
# Runs every test of the solution on a fresh machine with the .NET SDK and Node.js.
# Installs what the tests need, then prints one plain summary line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Azurite (Azure Storage emulator) for the cluster tests: an npm package, pinned by tools/azurite/package-lock.json.
if [ ! -x tools/azurite/node_modules/.bin/azurite ]; then
  echo "Installing Azurite (npm ci in tools/azurite)..."
  npm ci --prefix tools/azurite --no-audit --no-fund --loglevel=error || { echo "0 passed, 1 failed"; exit 1; }
fi

# What the tests need from the system. Installed with apt-get where that exists and we are root; elsewhere the
# script says what is missing and how to get it, and leaves out only the tests that need it.
filter=()
left_out=()
can_apt() { command -v apt-get >/dev/null && [ "$(id -u)" -eq 0 ]; }
apt_updated=""
apt_install() {
  [ -n "$apt_updated" ] || { apt-get update -qq && apt_updated=1; } || return 1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
leave_out() { left_out+=("$1"); filter+=("Category!=$2"); echo "$3" >&2; }

# Headless Chromium for the admin console's browser tests (driven by Playwright): RFPIO_CHROMIUM, or a usual path.
find_chromium() {
  for candidate in "${RFPIO_CHROMIUM:-}" "${CHROME_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome \
      /usr/bin/google-chrome-stable /snap/bin/chromium /opt/google/chrome/chrome \
      "/Applications/Chromium.app/Contents/MacOS/Chromium" "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] && return 0
  done
  return 1
}
if ! find_chromium; then
  if can_apt; then
    echo "Installing Chromium (apt-get install chromium)..."
    apt_install chromium || { echo "0 passed, 1 failed"; exit 1; }
  else
    leave_out "browser tests" Browser "No Chromium found: install Chromium or Chrome, or set RFPIO_CHROMIUM to its executable. Leaving out the browser tests."
  fi
fi

# PostgreSQL 15+ for the PostgreSQL provider's tests: only the programs (initdb, postgres); the tests start their own
# servers in temporary folders, so no system service is needed or used.
find_postgres() {
  [ -n "${RFPIO_POSTGRES_BIN:-}" ] && [ -x "$RFPIO_POSTGRES_BIN/initdb" ] && return 0
  command -v initdb >/dev/null && command -v postgres >/dev/null && return 0
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1
}
if ! find_postgres; then
  if can_apt; then
    echo "Installing PostgreSQL (apt-get install postgresql)..."
    apt_install postgresql || { echo "0 passed, 1 failed"; exit 1; }
  else
    left_out+=("PostgreSQL tests"); filter+=("DisplayName!~Postgres")
    echo "No PostgreSQL found: install it (apt-get install postgresql, brew install postgresql) or set RFPIO_POSTGRES_BIN to its bin folder. Leaving out the PostgreSQL tests." >&2
  fi
fi

# kubectl renders the Kubernetes overlays (kubectl kustomize) for the manifest tests. Debian ships it as kubectl in
# newer releases and inside kubernetes-client in others.
if ! command -v kubectl >/dev/null; then
  if can_apt; then
    echo "Installing kubectl (apt-get install kubectl, else kubernetes-client)..."
    { apt_install kubectl || apt_install kubernetes-client; } || { echo "0 passed, 1 failed"; exit 1; }
  else
    leave_out "manifest tests" Kubectl "No kubectl found: install it (https://kubernetes.io/docs/tasks/tools/ or your package manager). Leaving out the manifest tests."
  fi
fi

if [ ${#filter[@]} -gt 0 ]; then
  joined=$(IFS='&'; echo "${filter[*]}")
  dotnet test RfpioGateway.sln -c Release --nologo --filter "$joined" 2>&1 | tee "$log"
else
  dotnet test RfpioGateway.sln -c Release --nologo 2>&1 | tee "$log"
fi
status=${PIPESTATUS[0]}

# One "Passed!/Failed!  - Failed: F, Passed: P, Skipped: S, Total: T" line per test project.
read -r passed failed skipped < <(awk '
  /(Passed|Failed)! +- +Failed:/ {
    gsub(",", "");
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") f += $(i + 1);
      if ($i == "Passed:") p += $(i + 1);
      if ($i == "Skipped:") s += $(i + 1);
    }
  }
  END { printf "%d %d %d\n", p, f, s }' "$log")

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build or a test host failed without reporting a failed test: count it as one.
  failed=1
fi
if [ ${#left_out[@]} -gt 0 ]; then
  echo "Left out for missing tools: ${left_out[*]}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
