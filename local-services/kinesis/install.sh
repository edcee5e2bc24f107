#!/usr/bin/env bash
# Installs the local Kinesis endpoint (npm kinesis-local, pinned by package-lock.json) with the
# machine's Node.js: run by Maven before any test (local-services/pom.xml) and by bin/local-kinesis.
# Installed and up to date: nothing to do, no network. No npm: says so and succeeds, and the
# Kinesis tests then skip naming what to install; under CI=true that is an error instead.
set -euo pipefail
cd "$(dirname "$0")"
installed=node_modules/.package-lock.json   # npm writes it at the end of every install
if [[ -f node_modules/kinesis-local/main.js && -f "$installed" && ! package-lock.json -nt "$installed" ]]; then
  echo "kinesis-local: installed in local-services/kinesis/node_modules"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  message="Node.js and npm are not on the PATH, so the Kinesis tests will skip (install Node.js 18 or later with npm, e.g. Debian's nodejs and npm)"
  if [[ "${CI:-}" == true ]]; then
    echo "error: $message; CI=true needs them" >&2
    exit 1
  fi
  echo "kinesis-local: $message"
  exit 0
fi
echo "kinesis-local: npm ci --prefix local-services/kinesis (Node.js $(node --version))"
if ! npm ci --no-audit --no-fund --prefer-offline; then
  # Offline without npm's cache, say: the rest of the build still works, the Kinesis tests skip.
  if [[ "${CI:-}" == true ]]; then
    echo "error: npm ci failed in local-services/kinesis; CI=true needs the Kinesis tests" >&2
    exit 1
  fi
  echo "kinesis-local: npm ci failed; the Kinesis tests will skip until it succeeds"
fi
