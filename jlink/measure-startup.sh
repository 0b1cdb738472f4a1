#!/usr/bin/env bash
# Measures start-up of CrumbHub images: median wall time of `bin/crumbhub-client send` (whole
# process, against a warm server of the same image) and of `bin/crumbhub-server` from exec to its
# "listening on" line. Runs of several images are interleaved so that load from other processes
# falls on all of them alike.
# Usage: measure-startup.sh [-n RUNS] IMAGE_DIR...     (RUNS defaults to 15; 127.0.0.1, temp dirs)
set -euo pipefail
runs=15
if [ "${1:-}" = -n ]; then runs=$2; shift 2; fi
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.0f", m/1e6}'; }

# start_server IMG DATA OUT: starts a server; sets $pid; prints ns until "listening on".
start_server() {
  local img=$1 data=$2 out=$3 t0
  : > "$out"
  t0=$(now)
  "$img/bin/crumbhub-server" --data "$data" --listen 127.0.0.1:0 --registration open >"$out" 2>"$out.err" &
  pid=$!
  for _ in $(seq 1 6000); do
    if grep -q 'listening on' "$out"; then echo $(( $(now) - t0 )); return 0; fi
    sleep 0.005
  done
  echo "server did not start:" >&2; cat "$out" "$out.err" >&2; exit 1
}

imgs=()
for a in "$@"; do imgs+=("$(cd "$a" && pwd)"); done
for k in "${!imgs[@]}"; do : > "$work/server-$k"; : > "$work/send-$k"; done

for i in $(seq 1 "$runs"); do
  for k in "${!imgs[@]}"; do
    start_server "${imgs[$k]}" "$work/start-$k" "$work/out" >> "$work/server-$k"
    kill -TERM "$pid"; wait "$pid" || true
  done
done

for k in "${!imgs[@]}"; do
  start_server "${imgs[$k]}" "$work/data-$k" "$work/warm-$k" > /dev/null
  pids+=("$pid")
  port=$(sed -n 's/.*listening on [^ ]*:\([0-9]*\).*/\1/p' "$work/warm-$k" | head -1)
  echo "pw for alice" | "${imgs[$k]}/bin/crumbhub-client" register "127.0.0.1:$port" alice --password-stdin \
    --home "$work/alice-$k" >/dev/null 2>&1
  "${imgs[$k]}/bin/crumbhub-client" send @alice warm-up --home "$work/alice-$k" >/dev/null
done
for i in $(seq 1 "$runs"); do
  for k in "${!imgs[@]}"; do
    t0=$(now)
    "${imgs[$k]}/bin/crumbhub-client" send @alice "message $i" --home "$work/alice-$k" >/dev/null
    echo $(( $(now) - t0 )) >> "$work/send-$k"
  done
done

for k in "${!imgs[@]}"; do
  echo "${imgs[$k]} ($(du -sh "${imgs[$k]}" | cut -f1)): server start to 'listening on' median" \
    "$(median < "$work/server-$k") ms, client send median $(median < "$work/send-$k") ms ($runs runs)"
done
