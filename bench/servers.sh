#!/usr/bin/env bash
# servers.sh runs the echo servers of bench/servers (evchan, gnet, nbio,
# netpoll, goroutine per connection) and the C floor (bench/peers/echo_floor.c)
# against the load generator (bench/servers/cmd/loadgen), each server in its
# own process and the load generator in another, and prints markdown tables:
# messages per second and p99 latency per cell (medians over the rounds), the
# ratios of evchan to each peer, and memory per idle connection.
#
#   bench/servers.sh               # 3 rounds of 2 s per cell, about 9 minutes on 2 cores
#   SMOKE=1 bench/servers.sh       # one tiny cell per server (100 conns, 0.3 s, 1 round), about 15 s: CI
#   ROUNDS=5 DUR=3s CONNS="100 1000" SIZES=64 IMPLS="evchan gnet" bench/servers.sh
#
# Cells: every CONNS (default 100 1000 5000 10000) with 64-byte messages,
# and every other SIZES (default 64 1024 16384) at SIZE_CONNS (1000)
# connections. In each round every server takes its turn in every cell
# (interleaved, the order rotating by round: the machine drifts); a server is
# started for each run and stopped after it. Then, each round, memory per
# idle connection: the server's VmRSS (and, for the Go servers, Go's
# HeapAlloc and StackInuse after two GCs, which the server writes to a file
# on SIGUSR1) before MEM_CONNS (5000) clients connect and once they are
# connected, each after one echo; the difference divided by MEM_CONNS.
#
# Other knobs: WARMUP (0.5s), LOOPS (-loops of every server; 0: GOMAXPROCS
# or one per CPU), PORT (first port; each server has its own).
# Any failure (a server not ready, crashed or not exiting on SIGTERM, an echo
# that differs, a lost connection) stops the script with status 1.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"

if [ "${SMOKE:-0}" = 1 ]; then
  rounds=${ROUNDS:-1} dur=${DUR:-0.3s} warmup=${WARMUP:-0.1s}
  conns_list=${CONNS:-100} sizes=${SIZES:-64} mem_conns=${MEM_CONNS:-100}
else
  rounds=${ROUNDS:-3} dur=${DUR:-2s} warmup=${WARMUP:-0.5s}
  conns_list=${CONNS:-"100 1000 5000 10000"} sizes=${SIZES:-"64 1024 16384"} mem_conns=${MEM_CONNS:-5000}
fi
size_conns=${SIZE_CONNS:-1000}
impls=${IMPLS:-"evchan gnet nbio netpoll goroutines floor"}
loops=${LOOPS:-0}
port0=${PORT:-19500}

work=$(mktemp -d)
out=$work/out
srv_pid="" lg_pid=""

cleanup() {
  for p in $lg_pid $srv_pid; do kill -KILL "$p" 2>/dev/null || true; done
  rm -rf "$work/bin"
}
trap cleanup EXIT
trap 'echo "servers.sh: interrupted" >&2; exit 1' INT TERM

die() {
  echo "servers.sh: FAIL: $*" >&2
  for f in "$work"/srv.err "$work"/lg.err; do
    [ -s "$f" ] && { echo "--- $(basename "$f"):" >&2; tail -n 20 "$f" >&2; }
  done
  exit 1
}

# --- build ---------------------------------------------------------------
echo "# building in $work" >&2
mkdir -p "$work/bin"
(cd bench/servers && go vet ./... && go build -o "$work/bin/" ./cmd/...) || die "go vet or go build in bench/servers"
bench/peers/build-echo.sh "$work/bin/echo_floor" || die "building bench/peers/echo_floor.c"

ulimit -n "$(ulimit -Hn)"
fdmax=$(ulimit -n)
cells=()
for c in $conns_list; do
  # Each process holds its own ends: conns descriptors and a few dozen more.
  if [ "$fdmax" != unlimited ] && [ $((c + 100)) -gt "$fdmax" ]; then
    echo "# skipping conns=$c: open-files limit $fdmax" >&2
    continue
  fi
  cells+=("$c 64")
done
for s in $sizes; do
  [ "$s" = 64 ] || cells+=("$size_conns $s")
done
[ ${#cells[@]} -gt 0 ] || die "no cell to run"

impl_list=($impls)
port_of() { # impl
  local i
  for i in "${!impl_list[@]}"; do
    [ "${impl_list[$i]}" = "$1" ] && { echo $((port0 + i)); return; }
  done
}
is_go() { [ "$1" != floor ]; }

# alive PID: the process runs (a child that ended stays a zombie until
# waited for, and kill -0 still finds it).
alive() {
  local st
  st=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
  [ "$st" != Z ]
}

# start_server IMPL: starts it, waits for its "ready" line.
start_server() {
  local impl=$1 bin args
  if is_go "$impl"; then
    bin=$work/bin/$impl
    args=(-addr "127.0.0.1:$(port_of "$impl")" -loops "$loops" -memfile "$work/mem")
  else
    bin=$work/bin/echo_floor
    args=(-addr "127.0.0.1:$(port_of "$impl")" -loops "$loops")
  fi
  [ -x "$bin" ] || die "no server program for $impl"
  : >"$work/srv.out"
  : >"$work/srv.err"
  "$bin" "${args[@]}" >"$work/srv.out" 2>"$work/srv.err" &
  srv_pid=$!
  for _ in $(seq 400); do
    grep -qx ready "$work/srv.out" && return 0
    alive "$srv_pid" || die "$impl exited before it was ready"
    sleep 0.025
  done
  die "$impl was not ready within 10 s"
}

# stop_server IMPL: checks it is still alive, stops it with SIGTERM and
# checks that it exits with status 0 within 15 s (else it is killed).
stop_server() {
  local impl=$1 rc=0
  alive "$srv_pid" || die "$impl died during the run"
  kill -TERM "$srv_pid"
  for _ in $(seq 600); do
    alive "$srv_pid" || break
    sleep 0.025
  done
  ! alive "$srv_pid" || kill -KILL "$srv_pid"
  wait "$srv_pid" || rc=$?
  srv_pid=""
  [ "$rc" -eq 0 ] || die "$impl exited with status $rc on SIGTERM (137: killed after 15 s)"
}

run_cell() { # impl conns size
  local impl=$1 conns=$2 size=$3
  start_server "$impl"
  timeout 300 "$work/bin/loadgen" -impl "$impl" -addr "127.0.0.1:$(port_of "$impl")" \
    -conns "$conns" -size "$size" -d "$dur" -warmup "$warmup" >>"$out" 2>"$work/lg.err" ||
    die "loadgen against $impl, conns=$conns size=$size"
  stop_server "$impl"
}

# go_mem: has the server write its Go memory figures into mem_heap, mem_stack.
go_mem() {
  rm -f "$work/mem"
  kill -USR1 "$srv_pid"
  for _ in $(seq 400); do
    if [ -s "$work/mem" ]; then
      read -r mem_heap mem_stack < <(sed -E 's/heap_alloc=([0-9]+) stack_inuse=([0-9]+)/\1 \2/' "$work/mem")
      return 0
    fi
    sleep 0.025
  done
  die "the server wrote no memory figures within 10 s"
}

rss() { awk '/^VmRSS:/ { print $2 * 1024 }' "/proc/$srv_pid/status"; }

run_mem() { # impl
  local impl=$1 n=$mem_conns heap0=- stack0=- heap1=- stack1=- rss0 rss1 rc=0
  start_server "$impl"
  sleep 0.2
  if is_go "$impl"; then go_mem; heap0=$mem_heap stack0=$mem_stack; fi
  rss0=$(rss)
  : >"$work/idle.out"
  "$work/bin/loadgen" -idle -impl "$impl" -addr "127.0.0.1:$(port_of "$impl")" -conns "$n" \
    >"$work/idle.out" 2>"$work/lg.err" &
  lg_pid=$!
  for _ in $(seq 2400); do
    grep -q '^idle conns=' "$work/idle.out" && break
    alive "$lg_pid" || { wait "$lg_pid" || true; lg_pid=""; die "loadgen -idle against $impl"; }
    sleep 0.05
  done
  grep -q '^idle conns=' "$work/idle.out" || die "loadgen -idle against $impl: not connected within 120 s"
  sleep 0.2
  if is_go "$impl"; then go_mem; heap1=$mem_heap stack1=$mem_stack; fi
  rss1=$(rss)
  kill -TERM "$lg_pid"
  wait "$lg_pid" || rc=$?
  lg_pid=""
  [ "$rc" -eq 0 ] || die "loadgen -idle against $impl exited with status $rc"
  stop_server "$impl"
  awk -v impl="$impl" -v n="$n" -v r0="$rss0" -v r1="$rss1" -v h0="$heap0" -v h1="$heap1" -v s0="$stack0" -v s1="$stack1" 'BEGIN {
    printf "mem impl=%s conns=%d rss_per_conn=%.0f", impl, n, (r1 - r0) / n
    if (h0 == "-") printf " heap_per_conn=- stack_per_conn=-\n"
    else printf " heap_per_conn=%.0f stack_per_conn=%.0f\n", (h1 - h0) / n, (s1 - s0) / n
  }' >>"$out"
}

# --- runs ----------------------------------------------------------------
echo "# $(nproc) CPUs, $(uname -r), $(go version | awk '{print $3}'); $rounds round(s) of $dur (+$warmup warm-up) per cell; raw lines in $out" >&2
start=$SECONDS
for round in $(seq "$rounds"); do
  # Rotate the order each round, so that no server always runs first.
  k=$(((round - 1) % ${#impl_list[@]}))
  order=("${impl_list[@]:$k}" "${impl_list[@]:0:$k}")
  for cell in "${cells[@]}"; do
    read -r conns size <<<"$cell"
    for impl in "${order[@]}"; do
      echo "round $round/$rounds conns=$conns size=$size impl=$impl ($((SECONDS - start)) s)" >&2
      run_cell "$impl" "$conns" "$size"
    done
  done
  for impl in "${order[@]}"; do
    echo "round $round/$rounds memory conns=$mem_conns impl=$impl ($((SECONDS - start)) s)" >&2
    run_mem "$impl"
  done
done
echo "# done in $((SECONDS - start)) s" >&2

# --- tables --------------------------------------------------------------
cell_list=$(printf '%s,' "${cells[@]}")
awk -v impls="$impls" -v cells="$cell_list" -v rounds="$rounds" -v dur="$dur" -v warmup="$warmup" \
  -v memconns="$mem_conns" -v machine="$(nproc) CPUs, Linux $(uname -r), $(go version | awk '{print $3}')" '
{
  delete f
  for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
  if ($1 == "echo") {
    k = f["impl"] SUBSEP f["conns"] SUBSEP f["size"]
    c = ++n["rate" SUBSEP k]; v["rate" SUBSEP k, c] = f["msgs_per_s"]
    n["p99" SUBSEP k] = c; v["p99" SUBSEP k, c] = f["p99_us"]
    n["p50" SUBSEP k] = c; v["p50" SUBSEP k, c] = f["p50_us"]
  }
  if ($1 == "mem") {
    k = f["impl"]
    c = ++n["rss" SUBSEP k]; v["rss" SUBSEP k, c] = f["rss_per_conn"]
    if (f["heap_per_conn"] != "-") {
      c = ++n["heap" SUBSEP k]; v["heap" SUBSEP k, c] = f["heap_per_conn"]
      n["stack" SUBSEP k] = c; v["stack" SUBSEP k, c] = f["stack_per_conn"]
      n["go" SUBSEP k] = c; v["go" SUBSEP k, c] = f["heap_per_conn"] + f["stack_per_conn"]
    }
  }
}
function med(k,   i, j, c, a, t) {
  c = n[k]
  if (c == 0) return ""
  for (i = 1; i <= c; i++) a[i] = v[k, i] + 0
  for (i = 2; i <= c; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
  return (c % 2) ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
}
function has(x, i) { for (i = 1; i <= ni; i++) if (im[i] == x) return 1; return 0 }
function ratio(a, b) { return (a == "" || b == "" || b + 0 == 0) ? "–" : sprintf("%.2f", a / b) }
function num(x, fmt) { return x == "" ? "–" : sprintf(fmt, x) }
END {
  ni = split(impls, im, " ")
  nc = split(cells, cl, ","); nc--   # trailing comma
  peers = "gnet nbio netpoll"; np = split(peers, pe, " ")

  printf "Echo benchmark, each server in its own process, loadgen in another; %s.\n", machine
  printf "Median of %d round(s) of %s (after %s warm-up) per cell; one message outstanding per connection.\n\n", rounds, dur, warmup

  print "Messages per second:"
  print ""
  hdr = "| conns | size |"; sep = "|---:|---:|"
  for (i = 1; i <= ni; i++) { hdr = hdr " " im[i] " |"; sep = sep "---:|" }
  print hdr; print sep
  for (j = 1; j <= nc; j++) {
    split(cl[j], cs, " "); line = "| " cs[1] " | " cs[2] " |"
    for (i = 1; i <= ni; i++) line = line " " num(med("rate" SUBSEP im[i] SUBSEP cs[1] SUBSEP cs[2]), "%.0f") " |"
    print line
  }
  print ""
  print "Latency per message, ms: p99 (p50):"
  print ""
  print hdr; print sep
  for (j = 1; j <= nc; j++) {
    split(cl[j], cs, " "); line = "| " cs[1] " | " cs[2] " |"
    for (i = 1; i <= ni; i++) {
      k = im[i] SUBSEP cs[1] SUBSEP cs[2]; p99 = med("p99" SUBSEP k); p50 = med("p50" SUBSEP k)
      line = line " " (p99 == "" ? "–" : sprintf("%.1f (%.1f)", p99 / 1000, p50 / 1000)) " |"
    }
    print line
  }
  print ""
  print "Ratios of medians (targets of issue 18: evchan ≥ 1.0× the fastest of gnet, nbio, netpoll; p99 ≤ 1.1× the best of theirs; ≥ 0.9× the floor):"
  print ""
  hdr = "| conns | size |"; sep = "|---:|---:|"
  for (i = 1; i <= ni; i++) if (im[i] != "evchan") { hdr = hdr " evchan / " im[i] " |"; sep = sep "---:|" }
  hdr = hdr " evchan / fastest peer | evchan p99 / best peer p99 |"; sep = sep "---:|---:|"
  print hdr; print sep
  for (j = 1; j <= nc; j++) {
    split(cl[j], cs, " "); line = "| " cs[1] " | " cs[2] " |"
    e = med("rate" SUBSEP "evchan" SUBSEP cs[1] SUBSEP cs[2]); ep = med("p99" SUBSEP "evchan" SUBSEP cs[1] SUBSEP cs[2])
    for (i = 1; i <= ni; i++) if (im[i] != "evchan") line = line " " ratio(e, med("rate" SUBSEP im[i] SUBSEP cs[1] SUBSEP cs[2])) " |"
    best = ""; bestn = ""; lowp = ""; lown = ""
    for (i = 1; i <= np; i++) {
      if (!has(pe[i])) continue
      r = med("rate" SUBSEP pe[i] SUBSEP cs[1] SUBSEP cs[2]); p = med("p99" SUBSEP pe[i] SUBSEP cs[1] SUBSEP cs[2])
      if (r != "" && (best == "" || r > best)) { best = r; bestn = pe[i] }
      if (p != "" && (lowp == "" || p < lowp)) { lowp = p; lown = pe[i] }
    }
    line = line " " ratio(e, best) (bestn == "" ? "" : " (" bestn ")") " | " ratio(ep, lowp) (lown == "" ? "" : " (" lown ")") " |"
    print line
  }
  print ""
  printf "Memory per idle connection, %d connections after one echo each (median of %d): the server process'"'"'s VmRSS after less before, and for the Go servers Go'"'"'s HeapAlloc and StackInuse (after two GCs):\n\n", memconns, rounds
  print "| server | RSS B/conn | Go heap B/conn | Go stack B/conn | Go heap+stack B/conn |"
  print "|---|---:|---:|---:|---:|"
  for (i = 1; i <= ni; i++) {
    x = im[i]
    printf "| %s | %s | %s | %s | %s |\n", x, num(med("rss" SUBSEP x), "%.0f"), num(med("heap" SUBSEP x), "%.0f"), num(med("stack" SUBSEP x), "%.0f"), num(med("go" SUBSEP x), "%.0f")
  }
  if (has("evchan")) {
    lr = ""; lrn = ""; lg = ""; lgn = ""
    for (i = 1; i <= ni; i++) {
      x = im[i]; if (x == "evchan" || x == "floor") continue   # the floor'"'"'s sockets live in the kernel, outside RSS
      r = med("rss" SUBSEP x); g = med("go" SUBSEP x)
      if (r != "" && (lr == "" || r < lr)) { lr = r; lrn = x }
      if (g != "" && (lg == "" || g < lg)) { lg = g; lgn = x }
    }
    print ""
    printf "evchan / leanest Go peer (target ≤ 0.9): by RSS %s (%s), by Go heap+stack %s (%s)\n", ratio(med("rss" SUBSEP "evchan"), lr), lrn, ratio(med("go" SUBSEP "evchan"), lg), lgn
  }
}' "$out"
