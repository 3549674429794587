#!/usr/bin/env bash
# compare.sh BASE [NEW]: does a change make a delivery dearer? It builds
# evbench at commit BASE and at NEW (default: the work tree), and runs the
# chain cells (`evbench chain`, see chain.sh) of evchan and evchan-all with
# the binaries taking turns, the new one twice: as "new" and again as
# "new again", its own baseline. A difference new/base means something only
# where it exceeds the spread new again/new between two runs of one binary,
# on this shared and drifting machine.
#
#   bench/compare.sh f6f7aac          # the work tree against f6f7aac
#   RUNS=25 ROUNDS=5 bench/compare.sh f6f7aac HEAD
#
# RUNS (default 15) runs per cell and binary, taken in ROUNDS (default 5)
# rounds; the order of the three within a round turns from one round to
# the next. It prints a markdown table of medians (µs) and ratios.
set -euo pipefail
case "${1:-}" in
  -h|--help|"") sed -n '2,/^set /{/^set /d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
esac
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
base=$1 new=${2:-}
runs=${RUNS:-15}
rounds=${ROUNDS:-5}
per=$(( (runs + rounds - 1) / rounds ))
work=$(mktemp -d)
trap 'git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

build() { # build DIR OUT
  (cd "$1" && go build -o "$2" ./cmd/evbench)
}
git worktree add --detach "$work/base" "$base" >/dev/null 2>&1
build "$work/base" "$work/evbench-base"
if [ -n "$new" ]; then
  git worktree add --detach "$work/new" "$new" >/dev/null 2>&1
  build "$work/new" "$work/evbench-new"
  git worktree remove --force "$work/new" >/dev/null 2>&1
else
  build . "$work/evbench-new"
fi
cp "$work/evbench-new" "$work/evbench-again"
ulimit -n "$(ulimit -Hn)"

echo "# $(nproc) cores; $((per * rounds)) runs per cell and binary in $rounds rounds; base $base, new ${new:-work tree}" >&2
arms=(base new again)
for round in $(seq "$rounds"); do
  for n in 100 1000 9900; do
    for aw in "1 100" "100 1000"; do
      set -- $aw; a=$1; w=$2
      for impl in evchan evchan-all; do
        for i in 0 1 2; do
          arm=${arms[$(( (i + round) % 3 ))]}
          "$work/evbench-$arm" chain -impl "$impl" -n "$n" -a "$a" -w "$w" -runs "$per" 2>/dev/null |
            sed "s/^/$n|$a|$w $impl $arm /" >>"$work/times"
        done
      done
    done
  done
  echo "round $round/$rounds done" >&2
done

sort -k1,1 -k2,2 -k3,3 -k4,4n "$work/times" | awk '
{ k = $1 SUBSEP $2 SUBSEP $3; if (!(k in cnt)) first[k] = NR; t[NR] = $4; cnt[k]++
  if (!(($1 SUBSEP $2) in seen)) { seen[$1 SUBSEP $2] = 1; order[++rows] = $1 SUBSEP $2 } }
function med(k,   c, f) { c = cnt[k]; f = first[k]
  return (c % 2) ? t[f + (c - 1) / 2] : (t[f + c / 2 - 1] + t[f + c / 2]) / 2 }
END {
  print "| n | a | w | impl | base | new | new again | new / base | new again / new |"
  print "|---:|---:|---:|---|---:|---:|---:|---:|---:|"
  for (i = 1; i <= rows; i++) {
    split(order[i], f, SUBSEP); split(f[1], c, "|")
    b = med(order[i] SUBSEP "base"); n = med(order[i] SUBSEP "new"); g = med(order[i] SUBSEP "again")
    printf "| %s | %s | %s | %s | %.0f | %.0f | %.0f | %.3f | %.3f |\n", c[1], c[2], c[3], f[2], b, n, g, n / b, g / n
  }
}'
