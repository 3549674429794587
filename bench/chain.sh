#!/usr/bin/env bash
# chain.sh runs libevent's bench.c chain workload (`evbench chain`) for every
# implementation and prints a markdown table of medians and ratios, the one
# recorded in BENCHMARKS.md under "Chain benchmark".
#
#   bench/chain.sh            # the whole matrix, 3 to 5 minutes on 2 cores
#   RUNS=5 ROUNDS=1 bench/chain.sh   # a quick look, under a minute (defaults: 25 runs in 5 rounds)
#   taskset -c 1 bench/chain.sh      # everything on one CPU, libevent included
#
# It installs gcc and libevent-dev if they are missing (Debian, as root),
# builds evbench and the libevent peer, and raises the soft open-files limit:
# 9,900 pairs take 19,800 descriptors.
set -euo pipefail
case "${1:-}" in
  -h|--help) sed -n '2,/^set /{/^set /d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
  ?*) echo "chain.sh takes no arguments (RUNS, ROUNDS and LOG come from the environment; -h says more)" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"

runs=${RUNS:-25}
rounds=${ROUNDS:-5}
per=$(( (runs + rounds - 1) / rounds ))
work=$(mktemp -d)
log=${LOG:-$work/summaries.log}

bench/peers/build.sh
bin=$work/evbench
go build -o "$bin" ./cmd/evbench
ulimit -n "$(ulimit -Hn)"

# measure KEY LABEL ARGS...: per runs of one implementation. Each run's time
# goes to $work/times as "KEY LABEL µs"; the summary line (spurious
# wake-ups) to the log.
measure() {
  local key=$1 label=$2; shift 2
  if ! "$bin" chain "$@" >"$work/out" 2>"$work/err"; then
    echo "evbench chain $* failed:" >&2; cat "$work/err" >&2; exit 1
  fi
  sed "s/^/$key $label /" "$work/out" >>"$work/times"
  grep '^summary ' "$work/err" | sed "s/^/$key $label /" >>"$log"
}

# The machine is shared and its speed drifts over minutes, so the
# implementations take turns: each of $rounds rounds runs every one for
# $per runs, and each median is over all of them.
echo "# $(nproc) cores; $runs runs per cell in $rounds rounds; summaries in $log" >&2
for n in 100 1000 9900; do
  for aw in "1 100" "100 1000"; do
    set -- $aw; a=$1; w=$2
    key="$n|$a|$w"
    cfg=(-n "$n" -a "$a" -w "$w" -runs "$per")
    # evchan on poll(2) at n=9900 scans 9,900 descriptors per wait: one run
    # per round there keeps the script under ten minutes.
    pcfg=("${cfg[@]}"); [ "$n" -ge 9900 ] && pcfg=(-n "$n" -a "$a" -w "$w" -runs 1)
    for round in $(seq "$rounds"); do
      echo "n=$n a=$a w=$w round $round/$rounds" >&2
      measure "$key" evchan          -impl evchan "${cfg[@]}"
      measure "$key" evchan-t        -impl evchan -t "${cfg[@]}"
      measure "$key" evchan-poll     -impl evchan -backend poll "${pcfg[@]}"
      measure "$key" evchan-all      -impl evchan-all "${cfg[@]}"
      measure "$key" evchan-all-t    -impl evchan-all -t "${cfg[@]}"
      measure "$key" evchan-pool     -impl evchan-pool "${cfg[@]}"
      measure "$key" libevent        -impl libevent "${cfg[@]}"
      measure "$key" libevent-t      -impl libevent -t "${cfg[@]}"
      measure "$key" goroutines      -impl goroutines "${cfg[@]}"
      measure "$key" goroutines-t    -impl goroutines -t "${cfg[@]}"
      # The raw loops with -t pay what a hand-written loop pays for a
      # timeout on every event (a heap of deadlines, as libevent's): the
      # floors of the -t targets below.
      measure "$key" epoll           -impl epoll "${cfg[@]}"
      measure "$key" epoll-t         -impl epoll -t "${cfg[@]}"
      measure "$key" epoll-oneshot   -impl epoll-oneshot "${cfg[@]}"
      measure "$key" epoll-handoff   -impl epoll-handoff "${cfg[@]}"
      measure "$key" epoll-handoff-t -impl epoll-handoff -t "${cfg[@]}"
    done
  done
done

# The table: one row per (n, a, w); medians in microseconds, then the ratios
# with their targets, and evchan's spurious wake-ups per run (out of a+w
# read events). evchan-all is held to the slower of libevent and the raw Go
# loop plus 10 %, max(libevent, 1.1×epoll); evchan to epoll-handoff, the raw loop split over two goroutines as a
# channel's user splits it, plus 5 %. The -t columns hold them to the same
# with every event's timeout, against raw loops that pay for theirs what a
# hand-written loop pays (a heap of deadlines, as libevent), so that the
# timeouts are compared like for like.
sort -k1,1 -k2,2 -k3,3n "$work/times" >"$work/sorted"
awk -v runs="$((per * rounds))" -v rounds="$rounds" '
# First file: the summaries, for the spurious wake-ups.
FNR == NR {
  if (!($1 in seen)) { seen[$1] = 1; order[++nrows] = $1 }
  for (i = 3; i <= NF; i++) {
    split($i, kv, "=")
    if (kv[1] == "spurious") spur[$1, $2] += kv[2]
    if (kv[1] == "runs") nruns[$1, $2] += kv[2]
  }
  next
}
# Second file: every run, sorted by key, label and time.
{
  k = $1 SUBSEP $2
  if (!(k in cnt)) { first[k] = NR }
  t[NR] = $3; cnt[k]++
}
function med(key, label,   k, c, f) {
  k = key SUBSEP label; c = cnt[k]; f = first[k]
  if (c == 0) return 0
  return (c % 2) ? t[f + (c - 1) / 2] : (t[f + c / 2 - 1] + t[f + c / 2]) / 2
}
function mn(key, label) { return t[first[key SUBSEP label]] }
function us(x) { return (x >= 1000) ? sprintf("%.0f", x) : sprintf("%.1f", x) }
function r(x, y) { return (y > 0) ? sprintf("%.2f", x / y) : "-" }
function max(x, y) { return (x > y) ? x : y }
# rmed, rmn: label over max(base, 1.1×epoll), of medians, of minimums.
function rmed(key, label, base, epoll) { return r(med(key, label), max(med(key, base), 1.1 * med(key, epoll))) }
function rmn(key, label, base, epoll) { return r(mn(key, label), max(mn(key, base), 1.1 * mn(key, epoll))) }
function sp(key, label) { return sprintf("%.1f", spur[key, label] / nruns[key, label]) }
function row(key,   f) { split(key, f, "|"); return f[1] " | " f[2] " | " f[3] }
END {
  print "Medians in µs of " runs " runs per cell, taken in " rounds " interleaved round(s); evchan on poll(2) at n=9900: " rounds " run(s)."
  print ""
  print "| n | a | w | evchan | evchan -t | evchan poll(2) | evchan-all | evchan-all -t | evchan-pool | libevent | libevent -t | goroutines | goroutines -t | epoll | epoll -t | epoll-oneshot | epoll-handoff | epoll-handoff -t |"
  print "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for (i = 1; i <= nrows; i++) {
    k = order[i]
    printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", row(k),
      us(med(k, "evchan")), us(med(k, "evchan-t")), us(med(k, "evchan-poll")),
      us(med(k, "evchan-all")), us(med(k, "evchan-all-t")), us(med(k, "evchan-pool")),
      us(med(k, "libevent")), us(med(k, "libevent-t")),
      us(med(k, "goroutines")), us(med(k, "goroutines-t")),
      us(med(k, "epoll")), us(med(k, "epoll-t")), us(med(k, "epoll-oneshot")),
      us(med(k, "epoll-handoff")), us(med(k, "epoll-handoff-t"))
  }
  print ""
  print "Ratios of medians (of minimums in brackets), with the targets; evchan spurious wake-ups per run, out of a+w read events."
  print ""
  print "| n | a | w | evchan / libevent (≤ 1.25) | evchan / goroutines (≤ 1.0) | evchan -t / evchan (≤ 1.1) | evchan-all / libevent | evchan-all / goroutines | evchan-all / max(libevent, 1.1×epoll) (≤ 1.0) | evchan-all -t / max(libevent -t, 1.1×epoll -t) (≤ 1.0) | evchan-pool / libevent | evchan-pool / goroutines | evchan / epoll | epoll-oneshot / epoll | epoll-handoff / libevent | evchan / epoll-handoff (≤ 1.05) | evchan -t / epoll-handoff -t (≤ 1.05) | spurious per run: evchan, -t, poll(2), all, pool |"
  print "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for (i = 1; i <= nrows; i++) {
    k = order[i]
    printf "| %s | %s (%s) | %s (%s) | %s (%s) | %s (%s) | %s (%s) | %s (%s) | %s (%s) | %s | %s | %s | %s | %s | %s (%s) | %s (%s) | %s, %s, %s, %s, %s |\n", row(k),
      r(med(k, "evchan"), med(k, "libevent")), r(mn(k, "evchan"), mn(k, "libevent")),
      r(med(k, "evchan"), med(k, "goroutines")), r(mn(k, "evchan"), mn(k, "goroutines")),
      r(med(k, "evchan-t"), med(k, "evchan")), r(mn(k, "evchan-t"), mn(k, "evchan")),
      r(med(k, "evchan-all"), med(k, "libevent")), r(mn(k, "evchan-all"), mn(k, "libevent")),
      r(med(k, "evchan-all"), med(k, "goroutines")), r(mn(k, "evchan-all"), mn(k, "goroutines")),
      rmed(k, "evchan-all", "libevent", "epoll"), rmn(k, "evchan-all", "libevent", "epoll"),
      rmed(k, "evchan-all-t", "libevent-t", "epoll-t"), rmn(k, "evchan-all-t", "libevent-t", "epoll-t"),
      r(med(k, "evchan-pool"), med(k, "libevent")), r(med(k, "evchan-pool"), med(k, "goroutines")),
      r(med(k, "evchan"), med(k, "epoll")),
      r(med(k, "epoll-oneshot"), med(k, "epoll")),
      r(med(k, "epoll-handoff"), med(k, "libevent")),
      r(med(k, "evchan"), med(k, "epoll-handoff")), r(mn(k, "evchan"), mn(k, "epoll-handoff")),
      r(med(k, "evchan-t"), med(k, "epoll-handoff-t")), r(mn(k, "evchan-t"), mn(k, "epoll-handoff-t")),
      sp(k, "evchan"), sp(k, "evchan-t"), sp(k, "evchan-poll"), sp(k, "evchan-all"), sp(k, "evchan-pool")
  }
}' "$log" "$work/sorted"
