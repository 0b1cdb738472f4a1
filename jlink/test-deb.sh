#!/usr/bin/env bash
# The .deb in CI (run by .ci/run as root, in a container without systemd): installs the package,
# starts the server from the installed files as the system user, two users join with invite links
# and chat, upgrades to the same package rebuilt with a higher version (the data and the server's
# key survive), removes it (the data stays) and purges it. Refuses to run where CrumbHub is
# installed or has data; leaves the machine as it found it.
# Usage: test-deb.sh [TARGET_DIR]     (default jlink/target, holding the image crumbhub/)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
target=$(cd "${1:-$here/target}" && pwd)
image=$target/crumbhub
version=$(cat "$image/VERSION")
say() { echo "test-deb: $*"; }
fail() { echo "test-deb: FAILED: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "needs root: it installs a package"
command -v dpkg >/dev/null || fail "needs dpkg"
if dpkg -s crumbhub >/dev/null 2>&1 || [ -e /opt/crumbhub ] || [ -e /var/lib/crumbhub ] || [ -e /etc/crumbhub ]; then
  fail "CrumbHub is installed here or has data in /var/lib/crumbhub; not touching it"
fi
created_user=yes
getent passwd crumbhub >/dev/null && created_user=no
work=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ]; then kill -9 "$server" 2>/dev/null || true; fi
  dpkg -P crumbhub >/dev/null 2>&1 || true
  rm -rf /var/lib/crumbhub /var/lib/crumbhub-backups /etc/crumbhub
  if [ "$created_user" = yes ] && getent passwd crumbhub >/dev/null; then
    userdel crumbhub || true
    groupdel crumbhub 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

export CRUMBHUB_DEB_LEVEL=1 # fast gzip: the test checks the package, not its size
"$here/build-deb.sh" "$image" "$version" "$work/crumbhub-old.deb"
"$here/build-deb.sh" "$image" "$version+1" "$work/crumbhub-new.deb"
dpkg() { command dpkg --force-unsafe-io "$@"; } # no fsync per file: a throw-away container

# ---- install ----
dpkg -i "$work/crumbhub-old.deb" >"$work/dpkg.out" 2>&1 || { cat "$work/dpkg.out"; fail "dpkg -i"; }
getent passwd crumbhub >/dev/null || fail "no system user crumbhub"
[ "$(stat -c '%U %a' /var/lib/crumbhub)" = "crumbhub 700" ] || fail "/var/lib/crumbhub is $(stat -c '%U %a' /var/lib/crumbhub)"
for f in /usr/bin/crumbhub-server /usr/bin/crumbhub-client /usr/bin/crumbhub-bench /etc/crumbhub/crumbhub.properties \
    /lib/systemd/system/crumbhub-server.service /usr/share/man/man1/crumbhub-client.1.gz \
    /usr/share/bash-completion/completions/crumbhub-client; do
  [ -e "$f" ] || fail "$f is not installed"
done
crumbhub-client --version | grep -q "^crumbhub-client $version " || fail "crumbhub-client --version: $(crumbhub-client --version)"

as_crumbhub() { # exec as the system user (no child process left behind, unlike runuser)
  setpriv --reuid=crumbhub --regid=crumbhub --init-groups "$@"
}
start_server() { # as the unit does: the system user, the installed settings, the data in /var/lib/crumbhub
  # $2: the line that ends the start-up output; $3: the port (0: any free one)
  # one simple command: $! is the server's own pid (setpriv and the launcher exec)
  CRUMBHUB_DATA=/var/lib/crumbhub setpriv --reuid=crumbhub --regid=crumbhub --init-groups /usr/bin/crumbhub-server \
    --config /etc/crumbhub/crumbhub.properties --listen "127.0.0.1:$3" >"$work/server-$1.out" 2>&1 &
  server=$!
  for _ in $(seq 1 900); do
    grep -q "$2" "$work/server-$1.out" && return 0
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
  done
  cat "$work/server-$1.out" >&2
  fail "the installed server did not start"
}
stop_server() {
  kill -TERM "$server"
  wait "$server" || fail "the server did not exit 0 on SIGTERM"
  server=
}
admin() { as_crumbhub /usr/bin/crumbhub-server --data /var/lib/crumbhub "$@"; }
client() { local who=$1; shift; crumbhub-client "$@" --home "$work/$who"; }

# ---- start from the installed files and chat ----
start_server 1 '^crumbhub://' 0
port=$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$work/server-1.out")
link=$(grep -m1 '^crumbhub://' "$work/server-1.out") || { cat "$work/server-1.out" >&2; fail "no invite link at first start"; }
echo "alice password 1" | client alice join "$link" alice --password-stdin >/dev/null
echo "bob password 1" | client bob join "$(admin invite | sed -n 2p)" bob --password-stdin >/dev/null
client alice send @bob "before the upgrade" >/dev/null
client bob listen --count 1 --timeout 30 | grep -q "before the upgrade" || fail "bob did not get alice's message"
fingerprint=$(admin fingerprint)
stop_server
say "installed $version, started as crumbhub, two users joined with links and chatted"

# ---- upgrade ----
dpkg -i "$work/crumbhub-new.deb" >"$work/dpkg.out" 2>&1 || { cat "$work/dpkg.out"; fail "upgrade"; }
[ "$(dpkg-query -W -f='${Version}' crumbhub)" = "$(printf '%s' "$version+1" | tr - '~')" ] || fail "not upgraded"
start_server 2 '^fingerprint' "$port"
[ "$(admin fingerprint)" = "$fingerprint" ] || fail "the server key changed in the upgrade"
client alice send @bob "after the upgrade" >/dev/null
client bob listen --count 1 --timeout 30 | grep -q "after the upgrade" || fail "no chat after the upgrade"
stop_server
say "upgraded to $version+1: same key, same accounts, chat works"

# ---- remove (keeps the data), purge ----
dpkg -r crumbhub >"$work/dpkg.out" 2>&1 || { cat "$work/dpkg.out"; fail "dpkg -r"; }
[ ! -e /opt/crumbhub ] && [ ! -e /usr/bin/crumbhub-server ] && [ ! -e /lib/systemd/system/crumbhub-server.service ] \
  || fail "files left after removal"
[ -f /var/lib/crumbhub/server.key ] || fail "removal deleted the data"
[ -f /etc/crumbhub/crumbhub.properties ] || fail "removal deleted the settings (kept until purge)"
dpkg -P crumbhub >"$work/dpkg.out" 2>&1 || { cat "$work/dpkg.out"; fail "dpkg -P"; }
[ ! -e /etc/crumbhub/crumbhub.properties ] || fail "purge kept the settings"
[ -f /var/lib/crumbhub/server.key ] || fail "purge deleted the data"
say "removed and purged: the data and the user stay; ok"
