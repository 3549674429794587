#!/usr/bin/env bash
# Builds bench/peers/chain_libevent, the libevent peer of `evbench chain`,
# installing Debian's libevent-dev and gcc first if they are missing.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v gcc >/dev/null || ! pkg-config --exists libevent 2>/dev/null; then
  echo "installing gcc, pkg-config and libevent-dev" >&2
  export DEBIAN_FRONTEND=noninteractive
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq gcc pkg-config libevent-dev >/dev/null
fi
gcc -O2 -Wall -Wextra -o chain_libevent chain_libevent.c $(pkg-config --cflags --libs libevent)
