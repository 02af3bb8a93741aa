#!/usr/bin/env bash
# Installs the Debian packages mercato needs; skips apt-get when all are present. Then the
# npm packages of web/ (ECharts, Vite, playwright-core: docs/report.md) when web/node_modules
# is missing. Idempotent: the Makefile calls it before every build.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(
  build-essential cmake
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libfmt-dev librandom123-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libsqlite3-dev sqlite3 zlib1g-dev libnlopt-dev libnlopt-cxx-dev libopenmpi-dev openmpi-bin
  libcpp-httplib-dev libboost-dev pkg-config
  clang-14 libclang-rt-14-dev libomp-14-dev
  pybind11-dev python3-dev python3-numpy python3-pandas python3-pytest python3-matplotlib
  python3-yaml
  chromium
)
# Node.js and npm build the report's charts (web/). Debian's only when the machine has none:
# a machine with Node.js from elsewhere has npm inside its nodejs package, and Debian's npm
# package would conflict with it.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi
install_web_packages() {
  if [ ! -d web/node_modules ]; then
    echo "setup: npm ci in web/"
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  install_web_packages
  exit 0
fi
echo "setup: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "setup: missing Debian packages (${missing[*]}); run as root or install them with apt-get" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
install_web_packages
