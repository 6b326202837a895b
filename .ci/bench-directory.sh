#!/usr/bin/env bash
# Benchmark of the public directory (issues 4 and 13), not a test: seeds 10k, 100k and 1M demo
# signatories into temporary databases, serves each on 127.0.0.1 and measures with wrk:
#   bare     a bare net/http program (.ci/bench-bare: no Echo, no middleware) writing the bytes of
#            /signatories fetched once from the real server: the physical limit of this machine
#   bare-gz  the same with Accept-Encoding: gzip, writing the gzip bytes the real server sent
#   static   GET /bench/static  the bytes of /signatories served from memory (CHARTER_BENCH=1),
#                               through the same router and middleware
#   list     GET /signatories
#   filter   GET /signatories?category=business&country=FR
#   search   GET /signatories?q=fond
#   deep     GET /signatories?page=500
#   list-gz  GET /signatories with Accept-Encoding: gzip
# and, at the largest size, the time and the server's peak RSS (VmHWM) for GET /signatories.csv
# on a freshly started server.
#
#   bash .ci/bench-directory.sh                    # the full run (about 8 minutes on 2 cores)
#   SIZES="10000 100000" ROUNDS=1 bash .ci/bench-directory.sh
#
# Each variant is measured ROUNDS times, the variants taking turns, so that a burst of outside load
# on the shared machine falls on all variants instead of one. A ratio (list / bare…) is taken
# within one round, numerator and denominator measured a few seconds apart, and the median over
# the rounds is reported, as is the median of each variant's requests per second. It prints a
# Markdown table for docs/performance.md, and each round's figures on stderr. wrk runs on the same
# machine as the server, so the figures say how the variants compare with each other, not what a
# real network would see.
#
#   PORT=18689 BARE_PORT=18690 CONNECTIONS=32 SIZES=100000 bash .ci/bench-directory.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
export CGO_ENABLED=1

SIZES=${SIZES:-"10000 100000 1000000"}
DURATION=${DURATION:-5s}
ROUNDS=${ROUNDS:-3}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-18089}

if ! command -v wrk >/dev/null; then
  apt-get update -qq && apt-get install -y -qq wrk
fi

work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  if [ -n "${bare:-}" ]; then kill "$bare" 2>/dev/null || true; wait "$bare" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== build" >&2
go build -o "$work/charter" .
go build -o "$work/bench-bare" ./.ci/bench-bare
BARE_PORT=${BARE_PORT:-$((PORT + 1))}
bare=""

base="http://127.0.0.1:$PORT"
start_server() {
  CHARTER_BENCH=1 "$work/charter" serve -addr "127.0.0.1:$PORT" -db "$1" >/dev/null 2>&1 &
  server=$!
  for _ in $(seq 100); do
    curl -fs "$base/healthz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -fs "$base/healthz" >/dev/null 2>&1 || { echo "the server did not start" >&2; exit 1; }
  # The open data snapshots are built, and compressed, in the background after a start: measure
  # once the server is done with them (brotli JSON, the last file written, is served).
  for _ in $(seq 1200); do
    curl -fsI -H 'Accept-Encoding: br' "$base/signatories.json" | grep -qi '^content-encoding: br' && return 0
    sleep 0.5
  done
  echo "no open data snapshot after 10 minutes" >&2; exit 1
}
stop_server() {
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
}

# rps URL [wrk options]: requests per second that wrk measures for URL.
rps() {
  local u=$1; shift
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "$@" "$u" | awk '/^Requests\/sec/ { printf "%.0f", $2 }'
}

declare -A result round_rps
# median: the median of the numbers given as arguments.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# ratios N A B: each round's A / B at size N, as arguments for median.
ratios() { for r in $(seq "$ROUNDS"); do awk -v a="${round_rps[$1,$2,$r]}" -v b="${round_rps[$1,$3,$r]}" 'BEGIN { printf "%.4f ", a / b }'; done; }
variants="bare list bare-hdr bare-gz list-gz static filter search deep" # the pairs compared run one after the other
bare_base="http://127.0.0.1:$BARE_PORT"
declare -A path=(
  [bare]="$bare_base/signatories"
  [bare-hdr]="$bare_base/same-headers"
  [bare-gz]="$bare_base/signatories"
  [static]="$base/bench/static"
  [list]="$base/signatories"
  [list-gz]="$base/signatories"
  [filter]="$base/signatories?category=business&country=FR"
  [search]="$base/signatories?q=fond"
  [deep]="$base/signatories?page=500"
)
declare -A gz=([bare-gz]=1 [list-gz]=1)

for n in $SIZES; do
  db="$work/charter-$n.db"
  echo "== seed $n" >&2
  /usr/bin/time -f "seeded in %e s" "$work/charter" seed --signatories "$n" -db "$db" 2>&1 >/dev/null | grep -v '^seeded [0-9]* of' >&2
  start_server "$db"
  curl -fs -o "$work/page.html" "$base/signatories"
  curl -fs -H 'Accept-Encoding: gzip' -o "$work/page.html.gz" "$base/signatories"
  curl -fs -D "$work/page.headers" -o /dev/null "$base/signatories"
  "$work/bench-bare" -addr "127.0.0.1:$BARE_PORT" -body "$work/page.html" -gzip "$work/page.html.gz" \
    -headers "$work/page.headers" &
  bare=$!
  for _ in $(seq 50); do curl -fs -o /dev/null "$bare_base/" && break; sleep 0.1; done
  kill -0 "$bare" 2>/dev/null || { echo "bench-bare did not start (port $BARE_PORT taken? set BARE_PORT)" >&2; bare=""; exit 1; }
  for v in $variants; do
    for _ in $(seq 100); do curl -fs -o /dev/null "${path[$v]}" && break; sleep 0.1; done # renders the page
  done
  for round in $(seq "$ROUNDS"); do
    for v in $variants; do
      if [ -n "${gz[$v]:-}" ]; then r=$(rps "${path[$v]}" -H 'Accept-Encoding: gzip'); else r=$(rps "${path[$v]}"); fi
      echo "   $n round $round $v ${path[$v]}: $r req/s" >&2
      round_rps[$n,$v,$round]=$r
    done
    awk -v l="${round_rps[$n,list,$round]}" -v b="${round_rps[$n,bare,$round]}" -v bh="${round_rps[$n,bare-hdr,$round]}" \
      -v lg="${round_rps[$n,list-gz,$round]}" -v bg="${round_rps[$n,bare-gz,$round]}" -v s="${round_rps[$n,static,$round]}" \
      'BEGIN { printf "   round: list / bare %.2f, list / bare-hdr %.2f, list-gz / bare-gz %.2f, static / bare %.2f\n", l / b, l / bh, lg / bg, s / b }' >&2
  done
  for v in $variants; do
    result[$n,$v]=$(median $(for r in $(seq "$ROUNDS"); do echo "${round_rps[$n,$v,$r]}"; done))
  done
  result[$n,list/static]=$(median $(ratios "$n" list static))
  result[$n,list/bare]=$(median $(ratios "$n" list bare))
  result[$n,list/bare-hdr]=$(median $(ratios "$n" list bare-hdr))
  result[$n,list-gz/bare-gz]=$(median $(ratios "$n" list-gz bare-gz))
  kill "$bare"; wait "$bare" 2>/dev/null || true; bare=""
  stop_server
  last=$n
done

echo "== CSV export of $last signatories" >&2
start_server "$work/charter-$last.db"
csv=$(curl -fs -o "$work/export.csv" -w '%{time_total} %{size_download}' "$base/signatories.csv")
hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$server/status")
rows=$(($(wc -l < "$work/export.csv") - 1))
stop_server

echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; wrk -t$THREADS -c$CONNECTIONS -d$DURATION, median of $ROUNDS rounds; requests per second; ratios: the median of each round's ratio"
echo
printf '| signatories |'; for v in $variants; do printf ' %s |' "$v"; done; printf ' list / static | list / bare | list / bare-hdr | list-gz / bare-gz |\n'
printf '|---|'; for v in $variants; do printf -- '---:|'; done; printf -- '---:|---:|---:|---:|\n'
first=${SIZES%% *}
for n in $SIZES; do
  printf '| %s |' "$n"
  for v in $variants; do printf ' %s |' "${result[$n,$v]}"; done
  awk -v s="${result[$n,list/static]}" -v b="${result[$n,list/bare]}" -v bh="${result[$n,list/bare-hdr]}" -v g="${result[$n,list-gz/bare-gz]}" \
    'BEGIN { printf " %.0f %% | %.2f | %.2f | %.2f |\n", 100 * s, b, bh, g }'
done
printf '| %s vs %s |' "$last" "$first"
for v in $variants; do
  awk -v a="${result[$last,$v]}" -v b="${result[$first,$v]}" 'BEGIN { printf " %.0f %% |", 100 * a / b }'
done
printf '  |\n'
echo
read -r secs bytes <<<"$csv"
awk -v r="$rows" -v s="$secs" -v b="$bytes" -v h="$hwm" 'BEGIN {
  printf "CSV export: %d rows, %.1f MiB in %.1f s; server peak RSS (VmHWM) %.1f MiB\n", r, b / 1048576, s, h / 1024 }'
