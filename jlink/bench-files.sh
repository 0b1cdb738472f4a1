#!/usr/bin/env bash
# File transfer speed on loopback (docs/benchmarks.md "Files"): upload (send-file) and download of
# one file through a CrumbHub image, against a raw copy of the same file over TCP on the same
# machine in the same run (`cat FILE > /dev/tcp/…` into a receiver that discards it). Each time
# includes the client's start (about a second of JVM start-up): use a large --size.
#
# Usage: jlink/bench-files.sh [--size MIB] [--out DIR] [IMAGE_DIR]
#   --size MIB  the file's size in MiB (default 1024)
#   --out DIR   where the data, homes and logs go (default: a new directory under /tmp)
#   IMAGE_DIR   a CrumbHub runtime image (default: jlink/target/crumbhub next to this script)
# Needs python3 for the raw copy's receiver. Prints one line per measurement, MB = 10^6 bytes.
set -euo pipefail

size=1024
out=""
image=""
while [ $# -gt 0 ]; do
  case $1 in
    --size) size=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "bench-files: unknown option $1" >&2; exit 2 ;;
    *) image=$1; shift ;;
  esac
done
here=$(cd "$(dirname "$0")" && pwd -P)
image=${image:-$here/target/crumbhub}
[ -x "$image/bin/crumbhub-client" ] || { echo "bench-files: no image at $image (mvn -B -DskipTests package)" >&2; exit 2; }
out=${out:-$(mktemp -d /tmp/crumbhub-bench-files.XXXXXX)}
port=${CRUMB_PORT:-15575}
raw_port=$((port + 1))
client="$image/bin/crumbhub-client"

now() { date +%s.%N; }
rate() { python3 -c "import sys; b=int(sys.argv[1]); s=float(sys.argv[3])-float(sys.argv[2]); print(f'{b/s/1e6:.1f} MB/s ({s:.2f} s)')" "$@"; }

"$image/bin/crumbhub-server" --data "$out/data" --listen "127.0.0.1:$port" --registration open \
  > "$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q fingerprint "$out/server.log" 2>/dev/null && break; sleep 0.1; done
for u in alice bob; do
  printf 'password of %s\n' "$u" | "$client" register "127.0.0.1:$port" "$u" --password-stdin --home "$out/$u" > /dev/null
done

file="$out/file.bin"
head -c "$((size * 1048576))" /dev/urandom > "$file"
bytes=$(stat -c %s "$file")
cat "$file" > /dev/null  # in the page cache for every reader alike

python3 -c "
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen(1)
c, _ = s.accept()
while c.recv(1 << 20): pass
" "$raw_port" &
sleep 0.5
t0=$(now); cat "$file" > "/dev/tcp/127.0.0.1/$raw_port"; t1=$(now)
echo "raw tcp copy:  $(rate "$bytes" "$t0" "$t1")"

t0=$(now); "$client" send-file @bob "$file" --home "$out/alice"; t1=$(now)
echo "upload:        $(rate "$bytes" "$t0" "$t1")"

id=$("$client" listen --json --count 1 --timeout 60 --home "$out/bob" | python3 -c "import json,sys; print(json.loads(sys.stdin.readline())['file'])")
mkdir -p "$out/to"
t0=$(now); "$client" download "$id" --to "$out/to" --home "$out/bob" > /dev/null; t1=$(now)
echo "download:      $(rate "$bytes" "$t0" "$t1")"
cmp "$file" "$out/to/file.bin" && echo "byte-identical: yes"
