#!/usr/bin/env bash
# Installs the Debian packages mercato needs; skips apt-get when all are present.
# Idempotent: the Makefile calls it before every build.
set -euo pipefail
packages=(
  build-essential cmake
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libfmt-dev librandom123-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libsqlite3-dev sqlite3 zlib1g-dev libnlopt-dev libnlopt-cxx-dev libopenmpi-dev openmpi-bin
  clang-14 libclang-rt-14-dev libomp-14-dev
  pybind11-dev python3-dev python3-numpy python3-pandas python3-pytest python3-matplotlib
  python3-yaml
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
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
