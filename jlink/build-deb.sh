#!/usr/bin/env bash
# Builds the .deb of CrumbHub from the runtime image with dpkg-deb (docs/operations.md "The .deb
# package" says why not jpackage): the image under /opt/crumbhub, commands in /usr/bin, the systemd
# unit, the example settings as /etc/crumbhub/crumbhub.properties (a conffile), manual pages and
# completions; the maintainer scripts in src/deb create the system user and /var/lib/crumbhub.
# Usage: build-deb.sh IMAGE_DIR VERSION OUTPUT.deb     (VERSION as Maven writes it: 0.2.0-SNAPSHOT)
set -euo pipefail
image=$1 version=$2 deb=$3
here=$(cd "$(dirname "$0")" && pwd)
debversion=$(printf '%s' "$version" | tr '-' '~')   # 0.2.0-SNAPSHOT sorts before 0.2.0, as Debian's ~ does
case "$(uname -m)" in
  x86_64) arch=amd64 ;;
  aarch64) arch=arm64 ;;
  *) arch=$(uname -m) ;;
esac

root=$(mktemp -d)
chmod 0755 "$root"
trap 'rm -rf "$root"' EXIT
install -d "$root/opt" "$root/usr/bin" "$root/lib/systemd/system" "$root/etc/crumbhub" "$root/DEBIAN" \
  "$root/usr/share/man/man1" "$root/usr/share/bash-completion/completions" "$root/usr/share/zsh/vendor-completions" \
  "$root/usr/share/fish/vendor_completions.d" "$root/usr/share/doc/crumbhub"
cp -a "$image" "$root/opt/crumbhub"
for program in crumbhub-server crumbhub-client crumbhub-bench; do
  ln -s "/opt/crumbhub/bin/$program" "$root/usr/bin/$program"
  gzip -9n < "$image/share/man/man1/$program.1" > "$root/usr/share/man/man1/$program.1.gz"
  cp "$image/share/bash-completion/completions/$program" "$root/usr/share/bash-completion/completions/"
  cp "$image/share/zsh/site-functions/_$program" "$root/usr/share/zsh/vendor-completions/"
  cp "$image/share/fish/vendor_completions.d/$program.fish" "$root/usr/share/fish/vendor_completions.d/"
done
install -m 0644 "$image/share/crumbhub-server.service" "$root/lib/systemd/system/crumbhub-server.service"
install -m 0644 "$image/share/crumbhub.properties.example" "$root/etc/crumbhub/crumbhub.properties"
ln -s /opt/crumbhub/share/doc/operations.md "$root/usr/share/doc/crumbhub/operations.md"
for script in postinst prerm postrm; do
  install -m 0755 "$here/src/deb/$script" "$root/DEBIAN/$script"
done
echo /etc/crumbhub/crumbhub.properties > "$root/DEBIAN/conffiles"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<CONTROL
Package: crumbhub
Version: $debversion
Architecture: $arch
Maintainer: CrumbHub <crumbhub@localhost>
Installed-Size: $size
Depends: passwd
Section: net
Priority: optional
Homepage: https://github.com/crumbhub/crumbhub
Description: self-hosted end-to-end encrypted terminal chat
 crumbhub-server relays and stores end-to-end encrypted messages it cannot read;
 crumbhub-client is the terminal client (commands, a full-screen chat, a bot daemon);
 crumbhub-bench loads a server. Carries its own Java runtime under /opt/crumbhub.
 The service runs as the system user crumbhub with its data in /var/lib/crumbhub.
CONTROL
# CRUMBHUB_DEB_LEVEL: gzip level (default 6; the CI test uses 1 for speed)
dpkg-deb --root-owner-group -Zgzip -z"${CRUMBHUB_DEB_LEVEL:-6}" --build "$root" "$deb" >/dev/null
echo "package: $deb ($(du -h "$deb" | cut -f1), version $debversion)"
