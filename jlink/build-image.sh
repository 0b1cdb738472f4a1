#!/usr/bin/env bash
# Assembles the CrumbHub runtime image with jlink, trains its AOT caches and packs the release
# archive beside it.
# Usage: build-image.sh JAVA_HOME MODULE_DIR OUTPUT_DIR VERSION
#   OUTPUT_DIR                 the image (bin/crumbhub-server, bin/crumbhub-client, bin/crumbhub-bench, lib/, share/)
#   OUTPUT_DIR/../crumbhub-VERSION-linux-ARCH.tar.gz   the image under a top folder crumbhub-VERSION/
# CRUMBHUB_SKIP_AOT=1 skips the training run (the launchers then start without a cache).
set -euo pipefail
java_home=$1 mods=$2 out=$3 version=$4
here=$(cd "$(dirname "$0")" && pwd)

rm -rf "$out"
"$java_home/bin/jlink" \
  --module-path "$mods" \
  --add-modules crumbhub.server,crumbhub.client,crumbhub.bench \
  --output "$out" \
  --strip-debug --no-header-files --no-man-pages

# Our own launchers: they exec java, so the launched process's PID is the program's.
for f in "$here"/src/bin/*; do
  install -m 0755 "$f" "$out/bin/$(basename "$f")"
done
if [ -d "$here/src/share" ]; then
  mkdir -p "$out/share"
  cp -R "$here/src/share/." "$out/share/"
fi
if [ -f "$here/../docs/operations.md" ]; then
  install -D -m 0644 "$here/../docs/operations.md" "$out/share/doc/operations.md"
fi
echo "$version" > "$out/VERSION"

# ---- AOT caches: a short training run of the image's own programs on 127.0.0.1 ----
train() {
  local work server port i
  work=$(mktemp -d)
  server=
  trap 'if [ -n "$server" ]; then kill -9 "$server" 2>/dev/null || true; fi; rm -rf "$work"' RETURN
  CRUMBHUB_JAVA_OPTS="-XX:AOTCacheOutput=$out/lib/crumbhub-server.aot" \
    timeout 180 "$out/bin/crumbhub-server" --data "$work/data" --listen 127.0.0.1:0 --metrics 127.0.0.1:0 --registration open \
    >"$work/server.out" 2>&1 &
  server=$!
  for i in $(seq 1 600); do
    grep -q 'listening on' "$work/server.out" && break
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
  done
  port=$(sed -n 's/.*listening on [^ ]*:\([0-9][0-9]*\).*/\1/p' "$work/server.out" | head -1)
  if [ -z "$port" ]; then cat "$work/server.out" >&2; return 1; fi
  client() { timeout 60 "$out/bin/crumbhub-client" "$@"; }
  echo "trainer password 1" | client register "127.0.0.1:$port" trainer --password-stdin --home "$work/t" >/dev/null 2>&1
  echo "peer password 1" | client register "127.0.0.1:$port" peer --password-stdin --home "$work/p" >/dev/null 2>&1
  client room create '#training' --home "$work/t" >/dev/null
  client room invite '#training' peer --home "$work/t" >/dev/null
  client room join '#training' --home "$work/p" >/dev/null
  client send '@peer' "direct training message" --home "$work/t" >/dev/null
  timeout 60 "$out/bin/crumbhub-server" --data "$work/data" users >/dev/null
  # the client's cache is trained on the command that must start fastest: send
  CRUMBHUB_JAVA_OPTS="-XX:AOTCacheOutput=$out/lib/crumbhub-client.aot" \
    client send '#training' "training message" --home "$work/t" >"$work/client.out" 2>&1 \
    || { cat "$work/client.out" >&2; return 1; }
  client listen --count 2 --timeout 20 --home "$work/p" >/dev/null
  kill -TERM "$server"
  wait "$server" || { cat "$work/server.out" >&2; return 1; }
  server=
  [ -f "$out/lib/crumbhub-server.aot" ] && [ -f "$out/lib/crumbhub-client.aot" ]
}
if [ "${CRUMBHUB_SKIP_AOT:-}" != 1 ]; then
  t0=$(date +%s)
  if train; then
    echo "AOT caches trained in $(( $(date +%s) - t0 )) s: $(cd "$out/lib" && du -ch crumbhub-*.aot | tail -1 | cut -f1)"
  else
    rm -f "$out"/lib/crumbhub-*.aot "$out"/lib/crumbhub-*.aot.config
    echo "WARNING: the AOT training run failed; the image starts without caches" >&2
  fi
fi

# ---- release archive: the image under crumbhub-VERSION/ ----
arch=$(uname -m)
parent=$(cd "$(dirname "$out")" && pwd)
tarball="$parent/crumbhub-$version-linux-$arch.tar.gz"
rm -f "$tarball"
tar -C "$parent" --owner=0 --group=0 --numeric-owner \
  --transform "s,^$(basename "$out"),crumbhub-$version," -czf "$tarball" "$(basename "$out")"
echo "image: $out ($(du -sh "$out" | cut -f1)); archive: $tarball ($(du -h "$tarball" | cut -f1))"
