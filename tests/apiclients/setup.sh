#!/usr/bin/env bash
# npm tools of the API suite (docs/api.md): Ghost's official clients, unchanged.
set -euo pipefail
cd "$(dirname "$0")"
if [ -f package.json ]; then
    npm ci --no-audit --no-fund --silent
fi
