#!/usr/bin/env bash
# Assembles the CrumbHub runtime image with jlink.
# Usage: build-image.sh JAVA_HOME MODULE_DIR OUTPUT_DIR VERSION
set -euo pipefail
java_home=$1 mods=$2 out=$3 version=$4
here=$(cd "$(dirname "$0")" && pwd)

rm -rf "$out"
"$java_home/bin/jlink" \
  --module-path "$mods" \
  --add-modules crumbhub.server,crumbhub.client \
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
echo "$version" > "$out/VERSION"
echo "image: $out ($(du -sh "$out" | cut -f1))"
