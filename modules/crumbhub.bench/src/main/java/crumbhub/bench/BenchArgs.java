package crumbhub.bench;

import crumbhub.bench.BenchOptions.Scenario;
import crumbhub.bench.BenchOptions.Target;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Parses the bench's command line (docs/benchmarks.md "The tool") into {@link BenchOptions}. */
public final class BenchArgs {
    public static final String USAGE = """
            usage: crumbhub-bench --server HOST:PORT [--scenario fanout|rooms|idle|pingpong|ack|soak|overload]
                                  [--target crumbhub|irc] [--clients C] [--rooms M] [--senders S]
                                  [--rate R] [--size BYTES] [--duration SECONDS] [--server-pid PID] [--json]
                   crumbhub-bench --version | --man | --completion bash|zsh|fish
              load shape
                --clients C            connections (default 100); pingpong uses 2
                --rooms M              rooms the clients are spread over, rooms scenario (default 10)
                --senders S            clients that send (default 10)
                --rate R               aggregate messages/s of the first step (default 100)
                --size BYTES           message body size (default 128; at least 56; IRC at most 400)
                --duration SECONDS     length of each step; idle: how long connections are held (default 5)
                --steps N              most steps, the rate multiplied by --step-factor each time (default 6)
                --step-factor F        (default 2)
                --p99-limit MS         stop after a step whose p99 latency passes this (default 100)
                --drain SECONDS        longest wait for a step's messages after it ends (default 3)
                --warmup SECONDS       an unreported step at the first rate before step 1 (default 0)
                --overload-factor F    overload: offer F times the highest rate that passed (default 5)
                --overload-time SECONDS  overload: how long (default 300)
              measuring
                --server-pid PID       also report the server's CPU per delivered message and RSS
                                       (soak, overload: open files and threads too)
                --server-metrics HOST:PORT  soak, overload: read the server's heap and waiting messages
                                       from its metrics endpoint
                --json                 one JSON object a line
              connections
                --target crumbhub|irc  the protocol of --server (default crumbhub)
                --fingerprint FP       CrumbHub: refuse a server key with another fingerprint
                --state FILE           CrumbHub: bench users' device keys and tokens, kept between runs so
                                       later runs resume instead of paying a password hash per user
                                       (default ./crumbhub-bench.state)
                --users U              CrumbHub idle: log in U users and spread the connections over their
                                       devices (several sessions each), so a large idle run costs only U
                                       password hashes on its first run (default: one user per connection)
                --invite CODE          CrumbHub: invite code for registering bench users
                --user-prefix NAME     bench user names / IRC nicks start with this (default bench)
                --room-prefix NAME     bench room / channel names start with this (default benchroom)
                --source-addresses N   spread connections over 127.0.0.1..127.0.0.N (default 1)
                --connect-parallel N   connections opened at once, at most the server's listen backlog (default 8)
                --loops N              event-loop threads (default: available processors)
                --setup-timeout SECONDS  longest connect/login/join phase (default 600)
            """;

    static final Set<String> FLAGS = Set.of("--json", "--help");
    static final Set<String> VALUED = Set.of("--server", "--target", "--scenario", "--clients", "--rooms",
            "--senders", "--rate", "--size", "--duration", "--steps", "--step-factor", "--p99-limit", "--drain",
            "--warmup", "--server-pid", "--users", "--state", "--user-prefix", "--room-prefix", "--invite", "--fingerprint",
            "--source-addresses", "--connect-parallel", "--loops", "--setup-timeout", "--server-metrics",
            "--overload-factor", "--overload-time");

    private BenchArgs() {}

    /** Whether the arguments ask for the usage text. */
    public static boolean wantsHelp(String[] args) {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parses and validates.
     *
     * @throws BenchException naming the bad or missing argument
     */
    public static BenchOptions parse(String[] args) throws BenchException {
        Map<String, String> v = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (FLAGS.contains(name)) {
                if (value != null) {
                    throw new BenchException(name + " takes no value");
                }
                v.put(name, "true");
            } else if (VALUED.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new BenchException(name + " needs a value");
                    }
                    value = args[++i];
                }
                v.put(name, value);
            } else {
                throw new BenchException("unknown argument " + a + " (see --help)");
            }
        }
        String server = v.get("--server");
        if (server == null) {
            throw new BenchException("--server HOST:PORT is required (see --help)");
        }
        return new BenchOptions(
                address(server),
                enumValue(Target.class, "--target", v.getOrDefault("--target", "crumbhub")),
                enumValue(Scenario.class, "--scenario", v.getOrDefault("--scenario", "fanout")),
                integer(v, "--clients", 100),
                integer(v, "--rooms", 10),
                integer(v, "--senders", 10),
                number(v, "--rate", 100),
                integer(v, "--size", 128),
                seconds(v, "--duration", 5),
                integer(v, "--steps", 6),
                number(v, "--step-factor", 2),
                number(v, "--p99-limit", 100),
                seconds(v, "--drain", 3),
                longValue(v, "--server-pid", 0),
                v.containsKey("--json"),
                integer(v, "--users", 0),
                Path.of(v.getOrDefault("--state", "crumbhub-bench.state")),
                v.getOrDefault("--user-prefix", "bench"),
                v.getOrDefault("--room-prefix", "benchroom"),
                v.getOrDefault("--invite", ""),
                v.getOrDefault("--fingerprint", ""),
                integer(v, "--source-addresses", 1),
                integer(v, "--connect-parallel", 8),
                integer(v, "--loops", Runtime.getRuntime().availableProcessors()),
                seconds(v, "--setup-timeout", 600),
                seconds(v, "--warmup", 0),
                v.containsKey("--server-metrics") ? address(v.get("--server-metrics")) : null,
                number(v, "--overload-factor", 5),
                seconds(v, "--overload-time", 300)).validate();
    }

    /** {@code HOST:PORT}, {@code [v6]:PORT}; the host is resolved now. */
    static InetSocketAddress address(String text) throws BenchException {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new BenchException("--server must be HOST:PORT, got " + text);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new BenchException("--server port must be a number, got " + text.substring(colon + 1), e);
        }
        if (port < 1 || port > 65_535) {
            throw new BenchException("--server port must be 1..65535, got " + port);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new BenchException("cannot resolve " + host, e);
        }
    }

    /** {@code HOST:PORT} of a resolved address, for notes. */
    static String format(InetSocketAddress a) {
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String name, String value) throws BenchException {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BenchException(name + " does not know " + value, e);
        }
    }

    private static int integer(Map<String, String> v, String name, int dflt) throws BenchException {
        long n = longValue(v, name, dflt);
        if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
            throw new BenchException(name + " is out of range");
        }
        return (int) n;
    }

    private static long longValue(Map<String, String> v, String name, long dflt) throws BenchException {
        String s = v.get(name);
        if (s == null) {
            return dflt;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new BenchException(name + " must be a whole number, got " + s, e);
        }
    }

    private static double number(Map<String, String> v, String name, double dflt) throws BenchException {
        String s = v.get(name);
        if (s == null) {
            return dflt;
        }
        try {
            double d = Double.parseDouble(s.trim());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException(s);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new BenchException(name + " must be a number, got " + s, e);
        }
    }

    private static Duration seconds(Map<String, String> v, String name, double dflt) throws BenchException {
        double s = number(v, name, dflt);
        if (s < 0 || s > 86_400) {
            throw new BenchException(name + " must be 0..86400 seconds");
        }
        return Duration.ofNanos((long) (s * 1e9));
    }
}
