#!/usr/bin/env bash
# System packages: WeasyPrint's libraries and fonts, Chromium for the browser tests,
# PostgreSQL for the PostgreSQL test run, poppler for looking at PDFs, wrk for make bench-load,
# python3-venv for a venv on the distribution's interpreter (Makefile: PYTHON, ADR 0114).
set -euo pipefail
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core chromium postgresql poppler-utils redis-server wrk python3-venv)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Run as root, or install them yourself: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "installing system packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
