#!/usr/bin/env bash
# Makes sure a headless Chromium is available for the dashboard's browser test (Tests/ParleyServerTests,
# DashboardBrowserTests). On a fresh Debian/Ubuntu machine running as root (CI) it installs the distribution's
# `chromium` package, bounded to 15 minutes; elsewhere it says what to install. Prints the browser's path.
set -euo pipefail

for name in "${PARLEY_CHROMIUM:-}" chromium chromium-browser google-chrome google-chrome-stable; do
    if [[ -n "$name" ]] && command -v "$name" >/dev/null 2>&1; then
        command -v "$name"
        exit 0
    fi
done

if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-chromium: installing chromium with apt-get (once per machine)" >&2
    export DEBIAN_FRONTEND=noninteractive
    timeout 900 apt-get update -qq >&2
    timeout 900 apt-get install -y -qq --no-install-recommends chromium >&2
    command -v chromium
    exit 0
fi

echo "ensure-chromium: no Chromium found; install it (Debian/Ubuntu: 'sudo apt-get install chromium'," \
    "macOS: 'brew install --cask chromium') or point PARLEY_CHROMIUM at a Chrome/Chromium binary" >&2
exit 1
