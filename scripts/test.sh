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

# Headless Chromium for the admin console's browser tests: Debian's package, driven by Playwright.
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Chromium (apt-get install chromium)..."
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || { echo "0 passed, 1 failed"; exit 1; }
fi

# kubectl renders the Kubernetes overlays (kubectl kustomize) for the manifest tests.
if ! command -v kubectl >/dev/null; then
  echo "Installing kubectl (apt-get install kubectl)..."
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kubectl >/dev/null; } || { echo "0 passed, 1 failed"; exit 1; }
fi

dotnet test RfpioGateway.sln -c Release --nologo 2>&1 | tee "$log"
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
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
