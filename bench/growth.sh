#!/usr/bin/env bash
# growth.sh measures how evchan's costs grow with size (`evbench growth`),
# prints a markdown table for each of the two growth targets, and draws them:
#   events  the chain benchmark's time per read event, n = 100 to 9,900
#           socket pairs, for evchan-all beside raw epoll and libevent, a=1
#           w=100 and a=100 w=1000; target: evchan-all within 1.2x of its
#           n=100 figure. Writes bench/growth-events.svg.
#   timers  the time per one-shot timer to add N timers to one container and
#           receive them all, N = 10k to 1M, beside time.AfterFunc; target:
#           within 1.5x of the N=10k figure. Writes bench/growth-timers.svg.
#
#   bench/growth.sh                  # both, about 2 minutes on 2 quiet cores
#   bench/growth.sh timers           # one of them
#   RUNS=1 ROUNDS=2 bench/growth.sh  # a quick look (defaults: 5 rounds of
#                                    # 5 runs per point for events, of 2 for timers)
#
# It installs gcc and libevent-dev if they are missing (Debian, as root),
# builds evbench and the libevent peer, and raises the soft open-files limit:
# 9,900 pairs take 19,800 descriptors.
set -euo pipefail
modes=()
for arg in "$@"; do
  case "$arg" in
    -h|--help) sed -n '2,/^set /{/^set /d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    events|timers) modes+=("$arg") ;;
    *) echo "growth.sh: unknown argument $arg (want events, timers or neither; RUNS and ROUNDS come from the environment; -h says more)" >&2; exit 2 ;;
  esac
done
[ ${#modes[@]} -gt 0 ] || modes=(events timers)
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"

flags=()
[ -n "${RUNS:-}" ] && flags+=(-runs "$RUNS")
[ -n "${ROUNDS:-}" ] && flags+=(-rounds "$ROUNDS")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

case " ${modes[*]} " in *" events "*) bench/peers/build.sh ;; esac
bin=$work/evbench
go build -o "$bin" ./cmd/evbench
# evbench raises its own limit at start, but the libevent peer it runs
# would get the shell's.
ulimit -n "$(ulimit -Hn)"

# Progress and the peer's banner go to stderr; the tables to stdout.
echo "# $(nproc) cores" >&2
for mode in "${modes[@]}"; do
  "$bin" growth "$mode" ${flags[@]+"${flags[@]}"}
  echo
done
