#!/usr/bin/env bash
# Install what the browser suite (make test-browser) needs beyond the venv:
# Debian's chromium, a Java runtime for the Nu HTML Checker, Node.js, and the
# npm tools pinned in package-lock.json (vnu-jar, axe-core, lighthouse).
# System packages are installed only when missing and only as root (CI);
# everyone else is told what to install.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

if ((${#missing[@]})); then
	if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
	else
		echo "The browser tests need: ${missing[*]}" >&2
		echo "On Debian: sudo apt-get install ${missing[*]}" >&2
		exit 1
	fi
fi

# Reinstall only when the lock file changed. --ignore-scripts: vnu-jar's
# postinstall would download a private Java runtime; the system one is used.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
