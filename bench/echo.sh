#!/usr/bin/env bash
# echo.sh runs `evbench echo` for both servers (evchan with dispatch.Goroutines,
# and a goroutine per connection) at 100, 1,000 and 5,000 connections, then
# measures each server's memory per idle connection at 5,000, and prints the
# markdown tables recorded in BENCHMARKS.md under "Echo benchmark".
#
#   bench/echo.sh                      # about 1.5 minutes on 2 cores
#   ROUNDS=1 DUR=1s bench/echo.sh      # a quick look (defaults: 5 rounds of 2 s)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"

rounds=${ROUNDS:-5}
dur=${DUR:-2s}
work=$(mktemp -d)
bin=$work/evbench
go build -o "$bin" ./cmd/evbench
ulimit -n "$(ulimit -Hn)"

# The machine is shared and drifts, so the servers take turns in each round;
# each cell is the median over the rounds.
echo "# $(nproc) cores; $rounds rounds of $dur per cell; raw lines in $work/out" >&2
for round in $(seq "$rounds"); do
  for conns in 100 1000 5000; do
    for impl in evchan goroutines; do
      echo "round $round/$rounds conns=$conns impl=$impl" >&2
      "$bin" echo -impl "$impl" -conns "$conns" -d "$dur" >>"$work/out"
    done
  done
  for impl in evchan goroutines; do
    echo "round $round/$rounds memory impl=$impl" >&2
    "$bin" echo -mem -impl "$impl" -conns 5000 >>"$work/out"
  done
done

awk -v rounds="$rounds" -v dur="$dur" '
{
  for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
  if ($1 == "echo") {
    k = f["impl"] SUBSEP f["conns"]; c = ++n[k]; v[k, c] = f["msgs_per_s"]
    k = "slow" SUBSEP k; n[k] = c; v[k, c] = f["slowest_ms"]
  }
  if ($1 == "echo-mem") {
    k = "mem" SUBSEP f["impl"]; c = ++n[k]
    v[k, c] = f["total_per_conn"]; heap[k, c] = f["heap_per_conn"]; stack[k, c] = f["stack_per_conn"]
  }
}
# med returns the median of v[k, 1..n[k]] and sets medi to its index (the
# lower middle for an even count), so that heap and stack come from the
# same run as the median total.
function med(k,   i, j, c, a, idx, t) {
  c = n[k]
  for (i = 1; i <= c; i++) { a[i] = v[k, i] + 0; idx[i] = i }
  for (i = 2; i <= c; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) {
    t = a[j]; a[j] = a[j-1]; a[j-1] = t; t = idx[j]; idx[j] = idx[j-1]; idx[j-1] = t
  }
  medi = idx[int((c + 1) / 2)]
  return (c % 2) ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
}
END {
  print "Messages per second (64-byte messages, one outstanding per connection), median of " rounds " run(s) of " dur "; clients in the same process."
  print ""
  print "The ratio of medians, then in brackets the median of the ratios within a round (the two servers run back to back), and the ratio of each round; slowest echo: the median over the rounds of the longest wait for one echo."
  print ""
  print "| conns | evchan | goroutines | evchan / goroutines (≥ 0.8 at 1,000) | per round | slowest echo ms: evchan, goroutines |"
  print "|---:|---:|---:|---:|---:|---:|"
  split("100 1000 5000", cs, " ")
  for (i = 1; i <= 3; i++) {
    ke = "evchan" SUBSEP cs[i]; kg = "goroutines" SUBSEP cs[i]
    e = med(ke); g = med(kg)
    n["r"] = 0; list = ""
    for (j = 1; j <= n[ke] && j <= n[kg]; j++) {
      v["r", ++n["r"]] = (v[kg, j] > 0 ? v[ke, j] / v[kg, j] : 0)
      list = list (j > 1 ? ", " : "") sprintf("%.2f", v["r", j])
    }
    printf "| %d | %.0f | %.0f | %.2f (%.2f) | %s | %.1f, %.1f |\n", cs[i], e, g, (g > 0 ? e / g : 0), med("r"), list,
      med("slow" SUBSEP ke), med("slow" SUBSEP kg)
  }
  print ""
  print "Server memory per idle connection, 5,000 connections, server in its own process (median of " rounds "):"
  print ""
  print "| impl | heap B/conn | stack B/conn | total B/conn |"
  print "|---|---:|---:|---:|"
  split("evchan goroutines", is, " ")
  for (i = 1; i <= 2; i++) {
    k = "mem" SUBSEP is[i]; tot[i] = med(k)
    printf "| %s | %s | %s | %.0f |\n", is[i], heap[k, medi], stack[k, medi], tot[i]
  }
  print ""
  printf "evchan / goroutines memory: %.2f (target ≤ 0.25)\n", (tot[2] > 0 ? tot[1] / tot[2] : 0)
}' "$work/out"
