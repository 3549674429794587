#!/usr/bin/env bash
# Builds bench/peers/echo_floor (or the path given as $1), the C floor of
# bench/servers.sh, installing Debian's gcc first if it is missing.
set -euo pipefail
cd "$(dirname "$0")"
out=${1:-echo_floor}
if ! command -v gcc >/dev/null; then
  echo "installing gcc" >&2
  export DEBIAN_FRONTEND=noninteractive
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq gcc libc6-dev >/dev/null
fi
gcc -O2 -Wall -Wextra -pthread -o "$out" echo_floor.c
