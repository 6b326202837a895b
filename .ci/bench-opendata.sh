#!/usr/bin/env bash
# Benchmark of the open data downloads (issue 13), not a test. It seeds demo signatories into
# temporary databases, serves each on 127.0.0.1 and measures:
#   1. at N1 (100k) signatories: the home page's latency (wrk --latency, p50/p99) alone, then
#      while 16 clients download /signatories.csv over and over; and, in the same windows, the
#      latency of a bare net/http server (.ci/bench-bare) sending the home page's bytes and headers
#      from memory: what the machine allows a server that does no work at all. During the
#      downloads it also reports the CPU time the server and the downloading clients (curl, on the
#      same cores) used, and how much of the machine was idle;
#   2. at N2 (1M): the time of one download of /signatories.csv (from its snapshot file, and the
#      first one on a fresh start, which waits for the snapshot to be built), against the time
#      `sqlite3 -csv` takes to write the same rows and columns to a file.
#
#   bash .ci/bench-opendata.sh
#   N1=100000 N2=1000000 DURATION=10s BEFORE=REV bash .ci/bench-opendata.sh
#   PORT=18691 BARE_PORT=18692 N2=0 DURATION=5s bash .ci/bench-opendata.sh   # step 1 only
#
# BEFORE=REV also measures step 1 with the program at git revision REV (say, one from before the
# snapshots, which streamed every download from the database), built from `git archive REV`.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
export CGO_ENABLED=1

N1=${N1:-100000}
N2=${N2:-1000000}
DURATION=${DURATION:-10s}
DOWNLOADERS=${DOWNLOADERS:-16}
PORT=${PORT:-18090}
BARE_PORT=${BARE_PORT:-$((PORT + 1))}
BEFORE=${BEFORE:-}

for tool in wrk sqlite3 curl; do
  if ! command -v "$tool" >/dev/null; then
    apt-get update -qq && apt-get install -y -qq "$tool"
  fi
done

work=$(mktemp -d)
server=""
bare=""
loaders=()
cleanup() {
  for p in "${loaders[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -n "$bare" ]; then kill "$bare" 2>/dev/null || true; wait "$bare" 2>/dev/null || true; fi
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== build" >&2
go build -o "$work/charter" .
go build -o "$work/bench-bare" ./.ci/bench-bare
if [ -n "$BEFORE" ]; then
  mkdir "$work/main" && git archive "$BEFORE" | tar -x -C "$work/main"
  (cd "$work/main" && go build -o "$work/charter-main" .)
fi

base="http://127.0.0.1:$PORT"
start_server() { # BINARY DB
  "$1" serve -addr "127.0.0.1:$PORT" -db "$2" >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do
    curl -fs "$base/healthz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "the server did not start" >&2; exit 1
}
stop_server() {
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
}
# wait_snapshot: until both downloads are answered from snapshot files, compressed too (the
# builder then rests).
wait_snapshot() {
  for _ in $(seq 600); do
    curl -fsI -H 'Accept-Encoding: br' "$base/signatories.json" | grep -qi '^content-encoding: br' && return 0
    sleep 0.5
  done
  echo "no snapshot" >&2; exit 1
}
# latency LABEL [URL]: the home page's p50 and p99 under wrk (or URL's).
latency() {
  wrk -t1 -c4 -d"$DURATION" --latency "${2:-$base/}" |
    awk -v l="$1" '/^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 } /^Requests\/sec/ { r = $2 }
      END { printf "| %s | %s | %s | %.0f |\n", l, p50, p99, r }'
}
# ticks PID: the user and system CPU time of a process so far, in clock ticks.
ticks() { awk '{ print $14, $15 }' "/proc/$1/stat"; }
# with_downloads LABEL [BARE_LABEL]: latency while DOWNLOADERS clients download the CSV in a
# loop; with BARE_LABEL, then the bare server's latency under the same downloads. The CPU time
# of the server and of the downloading clients during the measurements goes to stderr.
with_downloads() {
  : >"$work/downloads"
  : >"$work/loader-cpu"
  local windows=1
  if [ -n "${2:-}" ]; then windows=2; fi
  local until=$(($(date +%s) + windows * ${DURATION%s} + 3))
  for _ in $(seq "$DOWNLOADERS"); do
    ( /usr/bin/time -a -o "$work/loader-cpu" -f '%U %S' bash -c "while [ \$(date +%s) -lt $until ]; do
        curl -fs -o /dev/null -w '%{size_download}\n' '$base/signatories.csv' >>'$work/downloads' || true
      done" ) &
    loaders+=($!)
  done
  sleep 1
  local s0 idle0 s1 idle1 t0 t1
  read -r s0 < <(ticks "$server" | awk '{ print $1 + $2 }')
  idle0=$(awk '/^cpu / { print $5; exit }' /proc/stat); t0=$(date +%s.%N)
  latency "$1"
  if [ -n "${2:-}" ]; then latency "$2" "$bare_url"; fi
  read -r s1 < <(ticks "$server" | awk '{ print $1 + $2 }')
  idle1=$(awk '/^cpu / { print $5; exit }' /proc/stat); t1=$(date +%s.%N)
  for p in "${loaders[@]}"; do wait "$p" 2>/dev/null || true; done
  loaders=()
  local hz; hz=$(getconf CLK_TCK)
  awk '{ n++; b += $1 } END { printf "   %d downloads, %.0f MiB in all\n", n, b / 1048576 }' "$work/downloads" >&2
  awk -v s=$((s1 - s0)) -v hz="$hz" -v i=$((idle1 - idle0)) -v w="$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" \
    -v cores="$(nproc)" -v span="$((windows * ${DURATION%s} + 2))" '{ c += $1 + $2 } END {
    printf "   while measuring (%.1f s): server %.1f CPU-s; the %d downloading clients %.1f CPU-s over their %d s (%.1f CPU-s in the same %.1f s); machine idle %.0f %%\n",
      w, s / hz, NR, c, span, c * w / span, w, 100 * i / hz / (w * cores) }' "$work/loader-cpu" >&2
}

seed() { # N DB
  /usr/bin/time -f "   seeded $1 in %e s" "$work/charter" seed --signatories "$1" -db "$2" 2>&1 >/dev/null | grep -v '^seeded [0-9]* of' >&2
}

echo "== seed $N1" >&2
seed "$N1" "$work/n1.db"
table=$'| home page, '"$N1"$' signatories | p50 | p99 | req/s |\n|---|---|---|---|\n'
if [ -n "$BEFORE" ]; then
  echo "== $BEFORE: home page alone, then with $DOWNLOADERS downloads" >&2
  start_server "$work/charter-main" "$work/n1.db"
  curl -fs -o /dev/null "$base/signatories.csv"
  table+=$(latency "$BEFORE, alone")$'\n'
  table+=$(with_downloads "$BEFORE, $DOWNLOADERS CSV downloads at once")$'\n'
  stop_server
fi
echo "== snapshots: home page alone, then with $DOWNLOADERS downloads" >&2
start_server "$work/charter" "$work/n1.db"
wait_snapshot
size=$(curl -fs -o /dev/null -w '%{size_download}' "$base/signatories.csv")
curl -fs -o "$work/home.html" -D "$work/home.headers" "$base/"
"$work/bench-bare" -addr "127.0.0.1:$BARE_PORT" -body "$work/home.html" -headers "$work/home.headers" &
bare=$!
bare_url="http://127.0.0.1:$BARE_PORT/same-headers"
for _ in $(seq 50); do curl -fs -o /dev/null "$bare_url" && break; sleep 0.1; done
table+=$(latency "snapshots, alone")$'\n'
table+=$(latency "bare server, alone" "$bare_url")$'\n'
table+=$(with_downloads "snapshots, $DOWNLOADERS CSV downloads at once" "bare server, the same downloads from the real server")$'\n'
echo "$table" >&2
kill "$bare"; wait "$bare" 2>/dev/null || true; bare=""
stop_server

if [ "$N2" = 0 ]; then # step 1 only
  echo; echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; wrk -t1 -c4 -d$DURATION --latency on /"
  echo; printf '%s' "$table"; exit 0
fi
echo "== seed $N2" >&2
seed "$N2" "$work/n2.db"
columns="slug, name, category, country, website, statement, approved_at, charter_version"
echo "== sqlite3 -csv, $N2 rows" >&2
best_sqlite=""
for _ in 1 2 3; do
  s=$( { /usr/bin/time -f %e sqlite3 -csv -header "$work/n2.db" \
    "SELECT $columns FROM signatories WHERE status = 'approved' ORDER BY approved_at, id" >"$work/sqlite.csv"; } 2>&1 )
  if [ -z "$best_sqlite" ] || awk -v a="$s" -v b="$best_sqlite" 'BEGIN { exit !(a < b) }'; then best_sqlite=$s; fi
done
echo "== charter, $N2 rows" >&2
start_server "$work/charter" "$work/n2.db"
first=$(curl -fs -o "$work/first.csv" -w '%{time_total}' "$base/signatories.csv")
wait_snapshot
best_dl=""
for _ in 1 2 3; do
  d=$(curl -fs -o "$work/export.csv" -w '%{time_total}' "$base/signatories.csv")
  if [ -z "$best_dl" ] || awk -v a="$d" -v b="$best_dl" 'BEGIN { exit !(a < b) }'; then best_dl=$d; fi
done
gz=$(curl -fs -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "$base/signatories.csv")
br=$(curl -fs -H 'Accept-Encoding: br' -o /dev/null -w '%{size_download}' "$base/signatories.csv")
built=$(grep -o 'open data snapshot built.*' "$work/server.log" | tail -1 || true)
hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$server/status")
stop_server

echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; wrk -t1 -c4 -d$DURATION --latency on /; $DOWNLOADERS curl loops on /signatories.csv ($((size / 1048576)) MiB)"
echo
printf '%s' "$table"
echo
awk -v n="$N2" -v s="$best_sqlite" -v d="$best_dl" -v f="$first" -v b="$(stat -c %s "$work/export.csv")" -v q="$(stat -c %s "$work/sqlite.csv")" \
  -v gz="$gz" -v br="$br" -v h="$hwm" 'BEGIN {
  printf "| %d rows | seconds | MiB |\n|---|---|---|\n", n
  printf "| sqlite3 -csv (same rows, no url column), best of 3 | %.2f | %.0f |\n", s, q / 1048576
  printf "| GET /signatories.csv from the snapshot, best of 3 | %.2f (%.2f x sqlite3) | %.0f |\n", d, d / s, b / 1048576
  printf "| first GET on a fresh start (waits for the build) | %.2f | |\n", f
  printf "\ngzip %.0f MiB, brotli %.0f MiB; server peak RSS (VmHWM) %.0f MiB\n", gz / 1048576, br / 1048576, h / 1024 }'
echo "$built"
