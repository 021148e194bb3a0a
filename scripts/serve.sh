#!/usr/bin/env bash
# Installs what is missing, then serves the playground at http://127.0.0.1:8080/
# (live-reloading on changes). Ctrl-C stops it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
main serve
cd "$ROOT"
echo
echo "  Workqueue Playground: http://127.0.0.1:8080/"
echo
exec trunk serve --address 127.0.0.1 --port 8080
