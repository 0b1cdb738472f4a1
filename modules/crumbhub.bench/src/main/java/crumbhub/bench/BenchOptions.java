package crumbhub.bench;

import crumbhub.wire.Limits;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Every setting of one bench run, validated in one place (STYLE "Configuration"); built from the
 * command line by {@link BenchArgs}.
 *
 * @param server        the server to load (CrumbHub or IRC)
 * @param target        the protocol the server speaks
 * @param scenario      the load shape
 * @param clients       connections (fanout, rooms, idle); pingpong always uses two
 * @param rooms         rooms the clients are spread over (rooms scenario; fanout uses one)
 * @param senders       clients that send (fanout, rooms, ack)
 * @param rate          aggregate messages per second offered in the first step
 * @param size          bytes of each message body (IRC: of the PRIVMSG text)
 * @param duration      length of each step; for idle, how long the connections are held
 * @param steps         most steps; each multiplies the rate by {@code stepFactor}
 * @param stepFactor    rate multiplier from one step to the next
 * @param p99LimitMs    a step whose p99 latency passes this ends the run (after it is reported)
 * @param drain         longest wait after a step for its messages to arrive
 * @param serverPid     the server's process id for CPU and RSS, or 0 for none
 * @param json          one JSON object a line instead of a table
 * @param users         CrumbHub idle: distinct bench users (devices); connections beyond them resume the same
 *                      devices again (a device may hold several sessions). 0: one user per connection
 * @param statePath     CrumbHub: file keeping the bench users' device keys and tokens between runs
 * @param userPrefix    bench user names are this prefix followed by a number; also the IRC nicks
 * @param roomPrefix    bench room (channel) names are this prefix followed by a number
 * @param invite        CrumbHub: invite code for registering bench users, or empty
 * @param fingerprint   CrumbHub: the server key's expected fingerprint, or empty to accept any
 * @param sourceAddresses local 127.0.0.x addresses to spread connections over (1 = let the kernel choose)
 * @param connectParallel connections being opened (and authenticated) at once; at most the server's listen
 *                      backlog, or connections that overflow it wait out TCP retransmission back-off
 * @param loops         event-loop threads driving all connections
 * @param setupTimeout  longest time to connect, authenticate and join before giving up
 * @param warmup        stepped scenarios: an unreported step this long at the first rate before step 1, so
 *                      that the first step measures neither the bench's nor the server's JIT warming up
 * @param serverMetrics CrumbHub: the server's metrics endpoint (soak, overload report its heap and waiting
 *                      messages from it), or null
 * @param overloadFactor overload: the offered rate as a multiple of the capacity the search found
 * @param overloadTime  overload: how long that rate is offered
 */
public record BenchOptions(
        InetSocketAddress server,
        Target target,
        Scenario scenario,
        int clients,
        int rooms,
        int senders,
        double rate,
        int size,
        Duration duration,
        int steps,
        double stepFactor,
        double p99LimitMs,
        Duration drain,
        long serverPid,
        boolean json,
        int users,
        Path statePath,
        String userPrefix,
        String roomPrefix,
        String invite,
        String fingerprint,
        int sourceAddresses,
        int connectParallel,
        int loops,
        Duration setupTimeout,
        Duration warmup,
        InetSocketAddress serverMetrics,
        double overloadFactor,
        Duration overloadTime) {

    /** What the bench talks to. */
    public enum Target {
        CRUMBHUB, IRC;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The load shapes of the bench. */
    public enum Scenario {
        FANOUT, ROOMS, IDLE, PINGPONG, ACK, SOAK, OVERLOAD;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Longest IRC text that fits a 512-byte line after the server prefixes sender and channel. */
    public static final int IRC_MAX_SIZE = 400;
    /** Most connections one run may open: a bound against typos, above the usual file limits. */
    public static final int MAX_CLIENTS = 200_000;
    /** Source addresses usable: 127.0.0.1 to 127.0.0.254. */
    public static final int MAX_SOURCE_ADDRESSES = 254;

    public BenchOptions {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(drain, "drain");
        Objects.requireNonNull(statePath, "statePath");
        Objects.requireNonNull(invite, "invite");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(setupTimeout, "setupTimeout");
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(overloadTime, "overloadTime");
    }

    /**
     * Checks the settings against each other.
     *
     * @throws BenchException naming the first bad setting
     */
    public BenchOptions validate() throws BenchException {
        require(clients >= 1 && clients <= MAX_CLIENTS, "--clients must be 1.." + MAX_CLIENTS);
        require(rooms >= 1 && (scenario != Scenario.ROOMS || rooms <= clients), "--rooms must be 1..clients");
        require(senders >= 1 && senders <= clients, "--senders must be 1..clients");
        require(rate > 0 && rate < 1e9, "--rate must be a positive number of messages per second");
        require(size >= Probe.HEADER && size <= Limits.BODY, "--size must be " + Probe.HEADER + ".." + Limits.BODY);
        require(target != Target.IRC || size <= IRC_MAX_SIZE,
                "--size must be at most " + IRC_MAX_SIZE + " for IRC (a line holds 512 bytes)");
        require(target != Target.IRC || scenario != Scenario.ACK,
                "--scenario ack needs --target crumbhub: IRC has no durable acknowledgement");
        require(target != Target.IRC || scenario != Scenario.SOAK && scenario != Scenario.OVERLOAD,
                "--scenario " + scenario.label() + " needs --target crumbhub: it counts acknowledged and missed messages");
        require(overloadFactor >= 1 && overloadFactor <= 100, "--overload-factor must be 1..100");
        require(!overloadTime.isNegative() && !overloadTime.isZero(), "--overload-time must be positive");
        require(scenario != Scenario.SOAK || rooms <= clients / 2 && clients % rooms == 0,
                "--scenario soak needs rooms of one size, at least two members each: --clients a multiple of --rooms");
        require(!duration.isNegative() && !duration.isZero(), "--duration must be positive");
        require(steps >= 1 && steps <= 64, "--steps must be 1..64");
        require(stepFactor >= 1, "--step-factor must be at least 1");
        require(p99LimitMs > 0, "--p99-limit must be positive");
        require(!drain.isNegative(), "--drain must not be negative");
        require(serverPid >= 0, "--server-pid must be a process id");
        require(users >= 0 && users <= clients, "--users must be 0..clients");
        require(users == 0 || users == clients || scenario == Scenario.IDLE && target == Target.CRUMBHUB,
                "--users below --clients is for --scenario idle on CrumbHub: extra sessions of one device would"
                        + " also receive every room message");
        require(userPrefix.matches("[a-z][a-z0-9_]{0,19}"),
                "--user-prefix must be 1-20 of [a-z0-9_], starting with a letter");
        require(roomPrefix.matches("[a-z][a-z0-9_]{0,19}"),
                "--room-prefix must be 1-20 of [a-z0-9_], starting with a letter");
        require(invite.length() <= Limits.INVITE, "--invite is too long");
        require(sourceAddresses >= 1 && sourceAddresses <= MAX_SOURCE_ADDRESSES,
                "--source-addresses must be 1.." + MAX_SOURCE_ADDRESSES);
        require(sourceAddresses == 1 || server.getAddress().isLoopbackAddress(),
                "--source-addresses needs a server on a loopback address");
        require(connectParallel >= 1 && connectParallel <= 4096, "--connect-parallel must be 1..4096");
        require(loops >= 1 && loops <= 64, "--loops must be 1..64");
        require(!setupTimeout.isNegative() && !setupTimeout.isZero(), "--setup-timeout must be positive");
        return this;
    }

    private static void require(boolean ok, String message) throws BenchException {
        if (!ok) {
            throw new BenchException(message);
        }
    }

    /** Distinct CrumbHub users (one device each) this run authenticates. */
    public int distinctUsers() {
        return users == 0 ? connections() : Math.min(users, connections());
    }

    /** The connections this run opens. */
    public int connections() {
        return scenario == Scenario.PINGPONG ? 2 : clients;
    }

    /** Rooms actually used: one for fanout, ack and pingpong. */
    public int effectiveRooms() {
        return scenario == Scenario.ROOMS || scenario == Scenario.SOAK ? rooms : 1;
    }

    /** Senders actually used: none for idle, one for pingpong. */
    public int effectiveSenders() {
        return switch (scenario) {
            case IDLE -> 0;
            case PINGPONG -> 1;
            case FANOUT, ROOMS, ACK, SOAK, OVERLOAD -> senders;
        };
    }

    /**
     * The local address for connection {@code i}, or null to let the kernel choose: connections
     * are spread round-robin over 127.0.0.1 … 127.0.0.N so that more than one address's worth of
     * ephemeral ports (about 28,000 on Linux) can reach one server address.
     */
    public InetSocketAddress sourceAddress(int i) {
        if (sourceAddresses == 1) {
            return null;
        }
        int host = 1 + Math.floorMod(i, sourceAddresses);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) host}), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a four-byte address is always valid", e);
        }
    }
}
