#!/usr/bin/env bash
# Make sure the browser tests have Debian's Chromium (`make test` runs this first).
#
# - Chromium present ($KRISENWISSEN_CHROMIUM, default /usr/bin/chromium): nothing to do.
# - Missing, running as root on Debian/Ubuntu: install it with apt-get, as .ci/run does
#   (the browser is never downloaded by Playwright: Debian's build is what the tests launch).
# - Missing otherwise: fail at once with the exact command to run, before anything slow starts.
#
# `make test BROWSER=0` skips this check and deselects the browser tests.
set -euo pipefail

chromium="${KRISENWISSEN_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$chromium" ] || command -v "$chromium" >/dev/null 2>&1; then
    exit 0
fi

fail() {
    echo "" >&2
    echo "make test: Chromium for the browser tests is missing ($chromium)." >&2
    echo "Install Debian's chromium, then run make test again:" >&2
    echo "" >&2
    echo "    $1" >&2
    echo "" >&2
    echo "(or run without the browser tests: make test BROWSER=0)" >&2
    exit 1
}

if ! command -v apt-get >/dev/null 2>&1; then
    fail "install the chromium package of your distribution, or set KRISENWISSEN_CHROMIUM=/path/to/chromium"
fi
if [ "$(id -u)" -ne 0 ]; then
    fail "sudo apt-get install -y chromium"
fi

echo "make test: Chromium is missing; installing Debian's chromium (apt-get) ..."
export DEBIAN_FRONTEND=noninteractive
for attempt in 1 2 3; do  # mirrors can be briefly unavailable
    if apt-get update -q && apt-get install -y -q --no-install-recommends chromium; then
        break
    fi
    if [ "$attempt" -eq 3 ]; then
        fail "apt-get update && apt-get install -y chromium"
    fi
    sleep $((attempt * 10))
done
if ! { [ -x "$chromium" ] || command -v "$chromium" >/dev/null 2>&1; }; then
    fail "apt-get install -y chromium   # installed, but $chromium is still missing; set KRISENWISSEN_CHROMIUM"
fi
echo "make test: chromium installed: $("$chromium" --version 2>/dev/null || echo "$chromium")"
