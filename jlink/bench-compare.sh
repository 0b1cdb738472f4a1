#!/usr/bin/env bash
# Reproduces the comparison of docs/benchmarks.md in one command: CrumbHub, ngIRCd and InspIRCd
# under the same load shapes, measured by the same bench, in the same run, and prints the table
# of issue 5's targets (markdown) with the raw JSON lines kept beside it.
#
# Usage: jlink/bench-compare.sh [--quick] [--only LIST] [--servers LIST] [--out DIR] [IMAGE_DIR]
#   IMAGE_DIR  a CrumbHub runtime image (default: jlink/target/crumbhub next to this script)
#   --out DIR  where configs, data, logs and results go (default: a new directory under /tmp)
#   --quick    shorter steps and smaller idle runs: checks the script, not the servers
#   --only L   a comma list of idle,fanout100,fanout500,pingpong,ack (default: all)
#   --servers L  a comma list of crumbhub,ngircd,inspircd (default: all installed)
#
# Every server listens on 127.0.0.1 only and is pinned to core 0; the bench runs on core 1 (with
# at least two cores). Peers not installed (`apt-get install ngircd inspircd`) show as "-".
# Environment: IDLE_CONNECTIONS (default 15000, bounded by the file-descriptor limit),
# CRUMB_PORT/NGIRCD_PORT/INSPIRCD_PORT (15555/16667/16668). About 15 minutes on 2 cores.
set -euo pipefail

quick=0
only=",idle,fanout100,fanout500,pingpong,ack,"
servers=",crumbhub,ngircd,inspircd,"
out=""
image=""
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1; shift ;;
    --out) out=$2; shift 2 ;;
    --only) only=",$2,"; shift 2 ;;
    --servers) servers=",$2,"; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "bench-compare: unknown option $1" >&2; exit 2 ;;
    *) image=$1; shift ;;
  esac
done
here=$(cd "$(dirname "$0")" && pwd -P)
image=${image:-$here/target/crumbhub}
[ -x "$image/bin/crumbhub-bench" ] || { echo "bench-compare: no image at $image (mvn -B -DskipTests package)" >&2; exit 2; }
image=$(cd "$image" && pwd -P)
out=${out:-$(mktemp -d /tmp/crumbhub-bench-compare.XXXXXX)}
mkdir -p "$out/results" "$out/logs"
out=$(cd "$out" && pwd -P)

crumb_port=${CRUMB_PORT:-15555}
ngircd_port=${NGIRCD_PORT:-16667}
inspircd_port=${INSPIRCD_PORT:-16668}

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fds=$(ulimit -n)
idle=${IDLE_CONNECTIONS:-15000}
if [ "$idle" -gt $((fds - 2000)) ]; then idle=$((fds - 2000)); fi
if [ $quick = 1 ]; then idle=1000; fi

if [ "$(nproc)" -ge 2 ]; then
  server_cpu="taskset -c 0"
  bench_cpu="taskset -c 1"
else
  server_cpu=""
  bench_cpu=""
fi

want() { case $2 in *,$1,*) return 0 ;; *) return 1 ;; esac; }
peers=()
if want ngircd "$servers" && { command -v ngircd >/dev/null 2>&1 || [ -x /usr/sbin/ngircd ]; }; then peers+=(ngircd); fi
if want inspircd "$servers" && { command -v inspircd >/dev/null 2>&1 || [ -x /usr/sbin/inspircd ]; }; then peers+=(inspircd); fi
crumb=()
if want crumbhub "$servers"; then crumb=(crumbhub); fi

# ---- configurations (as in docs/benchmarks.md) ----
cat > "$out/limits.properties" <<EOF
max.connections=200000
max.connections.per.address=200000
rate.connection=100000000/1s
rate.user=100000000/1s
rate.register.address=100000/1h
rate.register.global=100000/1h
quota.invites.sent=100000
EOF
cat > "$out/ngircd.conf" <<EOF
[Global]
	Name = bench.ngircd
	Info = crumbhub bench
	Listen = 127.0.0.1
	Ports = $ngircd_port
	MotdPhrase = bench
	PidFile = $out/ngircd.pid
[Limits]
	MaxConnections = 0
	MaxConnectionsIP = 0
	MaxJoins = 0
	MaxNickLength = 30
	MaxPenaltyTime = 0
	PingTimeout = 600
	PongTimeout = 600
[Options]
	DNS = no
	Ident = no
	PAM = no
EOF
cat > "$out/inspircd.conf" <<EOF
<config format="xml">
<server name="bench.inspircd" description="crumbhub bench" network="bench">
<admin name="bench" nick="bench" email="bench@localhost">
<bind address="127.0.0.1" port="$inspircd_port" type="clients">
<connect name="bench" allow="*" maxchans="100" timeout="60" pingfreq="600"
         hardsendq="16777216" softsendq="8388608" recvq="65536" threshold="1000000"
         commandrate="100000000" fakelag="off" localmax="1000000" globalmax="1000000"
         useident="no" resolvehostnames="no" limit="1000000">
<performance netbuffersize="10240" somaxconn="1024" softlimit="100000" clonesonconnect="no"
             quietbursts="yes" timeskipwarn="0">
<limits maxnick="30" maxchan="64" maxline="512">
<pid file="$out/inspircd.pid">
<log method="file" type="* -USERINPUT -USEROUTPUT" level="default" target="$out/logs/inspircd.log">
EOF

# ---- processes ----
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

# Higher priority in its own scheduling group, when allowed (root); see docs/benchmarks.md.
boost() { echo -15 > "/proc/$1/autogroup" 2>/dev/null || true; }

wait_port() {
  local port=$1 pid=$2
  for _ in $(seq 1 600); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { echo "bench-compare: server on port $port exited" >&2; return 1; }
    sleep 0.1
  done
  echo "bench-compare: nothing listens on port $port" >&2
  return 1
}

# start NAME: starts that server on core 0; sets $server_pid.
start() {
  case $1 in
    crumbhub)
      setsid $server_cpu "$image/bin/crumbhub-server" --data "$out/data" --listen "127.0.0.1:$crumb_port" --registration open \
        --config "$out/limits.properties" >>"$out/logs/crumbhub.out" 2>>"$out/logs/crumbhub.err" &
      server_pid=$!; port=$crumb_port ;;
    ngircd)
      setsid $server_cpu /usr/sbin/ngircd -n -f "$out/ngircd.conf" >>"$out/logs/ngircd.out" 2>&1 &
      server_pid=$!; port=$ngircd_port ;;
    inspircd)
      setsid $server_cpu /usr/sbin/inspircd --nofork --runasroot --config="$out/inspircd.conf" \
        >>"$out/logs/inspircd.out" 2>&1 &
      server_pid=$!; port=$inspircd_port ;;
  esac
  pids+=("$server_pid")
  boost "$server_pid"
  wait_port "$port" "$server_pid"
}

stop() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
}

# bench NAME RESULT-FILE ARGS...: one bench run against server NAME (running as $server_pid).
bench() {
  local name=$1 file=$2; shift 2
  local target
  case $name in
    crumbhub) target=(--server "127.0.0.1:$crumb_port" --state "$out/bench.state" --connect-parallel 64) ;;
    ngircd) target=(--server "127.0.0.1:$ngircd_port" --target irc --connect-parallel 8) ;;
    inspircd) target=(--server "127.0.0.1:$inspircd_port" --target irc --connect-parallel 500) ;;
  esac
  echo "bench-compare: $name $* (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  setsid $bench_cpu "$image/bin/crumbhub-bench" --json --loops 1 --size 100 --server-pid "$server_pid" \
    "${target[@]}" "$@" >>"$out/results/$name-$file" 2>>"$out/logs/bench.err" &
  local b=$!
  boost "$b"
  wait "$b" || echo "bench-compare: $name $file: bench exited $?" >&2
}

if [ $quick = 1 ]; then
  step="--duration 2 --warmup 1 --steps 3"; pp=2; ackd=2
else
  step="--duration 4 --warmup 3 --steps 10 --step-factor 1.35"; pp=5; ackd=5
fi

# 0. CrumbHub bench users are registered once (a password hash each), then resumed: register
#    the idle run's 200 users on a throwaway server process, so the idle figure measures
#    connections, not the first registrations' JIT and hash-pool warm-up
if want idle "$only" && [ ${#crumb[@]} -gt 0 ]; then
  start crumbhub
  bench crumbhub register.jsonl --scenario idle --clients 200 --users 200 --duration 1
  stop
fi

# 1. idle connections, each on a freshly started server
if want idle "$only"; then
  for s in "${crumb[@]}" "${peers[@]}"; do
    start "$s"
    if [ "$s" = crumbhub ]; then
      bench crumbhub idle.jsonl --scenario idle --clients "$idle" --users 200 --duration 10 --source-addresses 4
    else
      bench "$s" idle.jsonl --scenario idle --clients "$idle" --duration 10 --source-addresses 4
    fi
    stop
  done
fi

# 2. fan-out, ping-pong and durable ack, one server at a time
for s in "${crumb[@]}" "${peers[@]}"; do
  want fanout100 "$only" || want fanout500 "$only" || want pingpong "$only" || { want ack "$only" && [ "$s" = crumbhub ]; } || continue
  start "$s"
  if want fanout100 "$only"; then
    bench "$s" fanout100.jsonl --scenario fanout --clients 100 --senders 10 --rate 6000 $step
  fi
  if want fanout500 "$only"; then
    bench "$s" fanout500.jsonl --scenario fanout --clients 500 --senders 10 --rate 1500 $step
  fi
  if want pingpong "$only"; then
    for _ in 1 2 3; do bench "$s" pingpong.jsonl --scenario pingpong --duration $pp; done
  fi
  if want ack "$only" && [ "$s" = crumbhub ]; then
    for c in 100 10; do
      bench crumbhub "ack$c.jsonl" --scenario ack --clients $c --senders 10 --rate 10000 --steps 1 \
        --duration $ackd --warmup 2 --p99-limit 1000
    done
  fi
  stop
done

# ---- the table ----
get() { sed -n "s/.*\"$1\":\"\{0,1\}\([^,\"}]*\).*/\1/p"; }
# by_server FILE NAME: that server's JSON lines of one results file
by_server() { cat "$out/results/$2-$1" 2>/dev/null || true; }
# best FILE NAME: "deliveries/s cpu" of the highest step with p99 <= 100 ms, no loss, no errors
best() {
  by_server "$1" "$2" | awk '
    function f(k,   s) { s = $0; if (!sub(".*\"" k "\":", "", s)) return ""; sub(/[,}].*/, "", s); gsub(/"/, "", s); return s }
    f("p99_ms") + 0 <= 100 && f("lost") + 0 == 0 && f("errors") + 0 == 0 && f("delivered_per_s") + 0 > bestd {
      bestd = f("delivered_per_s") + 0; cpu = f("server_cpu_us_per_delivery") }
    END { if (bestd > 0) printf "%.2f %s\n", bestd / 1e6, cpu; else print "- -" }'
}
median_of() { sort -n | awk '{a[NR]=$1} END { if (NR == 0) print "-"; else print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2) }'; }
field_median() { by_server "$1" "$2" | get "$3" | median_of; }

all=(crumbhub "${peers[@]}")
val() { # val NAME KIND
  case $2 in
    f100) best fanout100.jsonl "$1" | cut -d' ' -f1 ;;
    c100) best fanout100.jsonl "$1" | cut -d' ' -f2 ;;
    f500) best fanout500.jsonl "$1" | cut -d' ' -f1 ;;
    c500) best fanout500.jsonl "$1" | cut -d' ' -f2 ;;
    rss) by_server idle.jsonl "$1" | get rss_per_connection_bytes | awk '{ printf "%.2f\n", $1 / 1000 }' | median_of ;;
    pp) field_median pingpong.jsonl "$1" p50_ms ;;
  esac
}
peer_val() { if printf '%s\n' "${peers[@]}" | grep -qx "$1"; then val "$1" "$2"; else echo "-"; fi; }
verdict() { # verdict KIND crumb ng insp
  awk -v k="$1" -v c="$2" -v n="$3" -v i="$4" 'BEGIN {
    if (c == "-") { print (k == "max" ? "no (no step within the limit)" : "-"); exit }
    if (k == "max") { r = (n == "-" ? 0 : n); if (i != "-" && i + 0 > r) r = i; print (c + 0 >= r ? "yes" : "no") }
    else if (k == "cpu") { if (i == "-") print "-"; else printf "%s (%.2f x InspIRCd)\n", (c + 0 <= 0.8 * i ? "yes" : "no"), c / i }
    else if (k == "rss") { if (n == "-") print "-"; else print (c + 0 <= n + 0 ? "yes" : "no") }
    else if (k == "pp") { if (n == "-") print "-"; else print (c + 0 <= n + 0.05 ? "yes" : "no") }
  }'
}
row() { # row LABEL KIND VERDICT-KIND
  local c n i
  c=$(val crumbhub "$2"); n=$(peer_val ngircd "$2"); i=$(peer_val inspircd "$2")
  echo "| $1 | $c | $n | $i | $(verdict "$3" "$c" "$n" "$i") |"
}
ack_p99() { by_server "ack$1.jsonl" crumbhub | get p99_ms | head -1; }
{
  echo "CrumbHub image: $image ($(cat "$image/release" 2>/dev/null | grep -o 'JAVA_VERSION="[^"]*"' || true))"
  echo "Idle connections: $idle; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| target | CrumbHub | ngIRCd | InspIRCd | met? |"
  echo "| --- | ---: | ---: | ---: | --- |"
  row "fan-out C=100: M deliveries/s with p99 <= 100 ms" f100 max
  row "fan-out C=500: M deliveries/s with p99 <= 100 ms" f500 max
  row "CPU us per delivery at saturation, C=100" c100 cpu
  row "CPU us per delivery at saturation, C=500" c500 cpu
  row "RSS KB per idle connection, fresh server, all $idle" rss rss
  row "ping-pong round trip p50 ms (median of 3)" pp pp
  a100=$(ack_p99 100); a10=$(ack_p99 10)
  echo "| durable ack p99 ms at 10,000 msg/s, C=100 | ${a100:--} | - | - | $(awk -v a="${a100:--}" 'BEGIN { print (a == "-" ? "-" : (a + 0 <= 5 ? "yes" : "no")) }') |"
  echo "| durable ack p99 ms at 10,000 msg/s, C=10 | ${a10:--} | - | - | $(awk -v a="${a10:--}" 'BEGIN { print (a == "-" ? "-" : (a + 0 <= 5 ? "yes" : "no")) }') |"
  echo
  echo "Raw results (one JSON object per line): $out/results"
} | tee "$out/table.md"
