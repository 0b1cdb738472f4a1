#!/usr/bin/env bash
# Measures start-up of a CrumbHub image: median wall time of `bin/crumbhub-client send` (whole
# process, against a warm server) and of `bin/crumbhub-server` from exec to its "listening on" line.
# Usage: measure-startup.sh IMAGE_DIR [RUNS]     (RUNS defaults to 15; uses 127.0.0.1 and a temp dir)
set -euo pipefail
img=$(cd "$1" && pwd) runs=${2:-15}
work=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.0f", m/1e6}'; }

# Starts a server on a fresh port; prints the nanoseconds until it printed "listening on".
start_server() {
  local data=$1 out=$2 t0
  t0=$(now)
  "$img/bin/crumbhub-server" --data "$data" --listen 127.0.0.1:0 >"$out" 2>/dev/null &
  server_pid=$!
  for _ in $(seq 1 3000); do
    if grep -q 'listening on' "$out"; then echo $(( $(now) - t0 )); return 0; fi
    sleep 0.005
  done
  echo "server did not start" >&2; exit 1
}

: > "$work/server-times"
for i in $(seq 1 "$runs"); do
  start_server "$work/data-start" "$work/out" >> "$work/server-times"
  kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=
done

start_server "$work/data" "$work/out" > /dev/null
port=$(sed -n 's/.*listening on [^ ]*:\([0-9]*\).*/\1/p' "$work/out" | head -1)
echo "pw for alice" | "$img/bin/crumbhub-client" register "127.0.0.1:$port" alice --password-stdin --home "$work/alice" >/dev/null
"$img/bin/crumbhub-client" send @alice warm-up --home "$work/alice" >/dev/null
: > "$work/send-times"
for i in $(seq 1 "$runs"); do
  t0=$(now)
  "$img/bin/crumbhub-client" send @alice "message $i" --home "$work/alice" >/dev/null
  echo $(( $(now) - t0 )) >> "$work/send-times"
done

echo "image: $img ($(du -sh "$img" | cut -f1))"
echo "server start to 'listening on': median $(median < "$work/server-times") ms over $runs runs"
echo "client send (whole process):    median $(median < "$work/send-times") ms over $runs runs"
