package crumbhub.server;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.crypto.X25519KeyPair;
import crumbhub.server.config.HostPort;
import crumbhub.server.config.LimitOptions;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.testkit.Await;
import crumbhub.testkit.ManualTime;
import crumbhub.wire.CloseReason;
import crumbhub.wire.ConnectionClosedException;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;
import crumbhub.wire.RoomFrame;
import crumbhub.wire.TargetKind;
import crumbhub.wire.loop.EventLoopGroup;
import crumbhub.wire.loop.NanoClock;
import crumbhub.wire.net.ConnectionOptions;
import crumbhub.wire.net.RpcClient;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slowloris, handshake floods and request floods against a real server: the attackers are cut
 * at their timeouts or limits, the per-address limit holds, and honest clients from another
 * address still connect and chat.
 */
class HostileClientsTest {
    private static final int PER_ADDRESS = 12;
    private static final Duration HANDSHAKE = Duration.ofMillis(1_500);
    private static final Duration AUTH = Duration.ofSeconds(2);
    private static EventLoopGroup clientLoops;

    @TempDir
    Path data;
    private Server server;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void loops() {
        clientLoops = new EventLoopGroup("test-client", 1);
    }

    @AfterAll
    static void stopLoops() {
        clientLoops.close();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(LimitOptions limits) throws StartupException {
        start(limits, NanoClock.SYSTEM);
    }

    private void start(LimitOptions limits, NanoClock ticks) throws StartupException {
        server = Server.start(ServerOptions.builder().registration(RegistrationMode.OPEN)
                .dataDir(data).listen(new HostPort("127.0.0.1", 0))
                .loopThreads(2).hashThreads(1).passwordIterations(1000).authTimeout(AUTH)
                .throttle(Duration.ofMillis(50), Duration.ofMillis(200)).limits(limits).ticks(ticks).build());
    }

    /** Moves the server's timer clock on by {@code d} and returns once the timers due by then have run. */
    private void advance(ManualTime time, Duration d) throws Exception {
        time.advance(d);
        server.runDueTimers();
    }

    private RawPeer raw(String from) throws Exception {
        var p = new RawPeer(server.address(), from);
        open.add(p);
        return p;
    }

    private TestClient honest() throws Exception {
        var c = new TestClient(server.address(), clientLoops.next(), TestClient.newKey());
        open.add(c);
        return c;
    }

    /**
     * The server's timers run on a clock this test moves by hand, 100 ms per byte trickled: every
     * attacker is still open after 1,400 ms and cut at exactly 1,500 ms, the handshake timeout.
     */
    @Test
    void slowlorisAndHalfHandshakesAreCutAtTheTimeoutWhileHonestClientsChat() throws Exception {
        var time = new ManualTime();
        start(LimitOptions.unlimited().withHandshakeTimeout(HANDSHAKE).withConnections(1_000, PER_ADDRESS),
                time::nanoTime);
        var alice = honest().register("alice", "password-a");
        var bob = honest().register("bob", "password-b");
        bob.sync();

        // from 127.0.0.2: half of the allowed connections trickle message 1 a byte at a time, half send nothing
        var attackers = new ArrayList<RawPeer>();
        for (int i = 0; i < PER_ADDRESS; i++) {
            attackers.add(raw("127.0.0.2"));
        }
        Await.until(() -> server.openConnections() >= PER_ADDRESS + 2, "the attackers are accepted");
        // the acceptor loop has handed every accepted socket on; then each loop has armed its handshake timers
        server.runDueTimers();
        server.runDueTimers();

        // the address is full: one more gets the refusal marker at once, and a real client says why
        try (var extra = new RawPeer(server.address(), "127.0.0.2")) {
            InputStream in = extra.socket.getInputStream();
            assertThat(new int[] {in.read(), in.read(), in.read()}).containsExactly(0, 0, -1);
        }
        try {
            RpcClient.connect(server.address(), new InetSocketAddress("127.0.0.2", 0), clientLoops.next(),
                    TestClient.newKey(), k -> true, f -> { }, ConnectionOptions.client()).get(5, TimeUnit.SECONDS);
            throw new AssertionError("a client beyond the per-address limit was admitted");
        } catch (ExecutionException e) {
            var reason = ((ConnectionClosedException) e.getCause()).reason();
            assertThat(reason.kind()).isEqualTo(CloseReason.Kind.REFUSED);
            assertThat(reason.detail()).contains("too many connections");
        }

        byte[] msg1 = new byte[34];
        msg1[1] = 32;
        int step = 100;
        int steps = (int) (HANDSHAKE.toMillis() / step);
        for (int b = 1; b < steps; b++) {
            trickle(attackers, msg1[b - 1]);
            advance(time, Duration.ofMillis(step));
            assertThat(server.openConnections()).as("connections open after %d ms", b * step)
                    .isEqualTo(PER_ADDRESS + 2);
        }

        // honest clients from 127.0.0.1 connect and chat all along
        var carol = honest().register("carol", "password-c");
        alice.send(TargetKind.DIRECT, "bob", "still here");
        assertThat(TestClient.text(bob.nextPush())).isEqualTo("still here");
        assertThat(carol.call(id -> new ControlFrame.Ping(id, 3), ControlFrame.Pong.class).nonce()).isEqualTo(3);

        // every attacker is cut at the handshake timeout
        trickle(attackers, msg1[steps - 1]);
        advance(time, Duration.ofMillis(step));
        for (RawPeer a : attackers) {
            assertThat(a.closedWithin(5_000)).isTrue();
        }
        Await.until(() -> server.openConnections() == 3, "only the honest connections remain");
        assertThat(server.refusedConnections()).isGreaterThanOrEqualTo(2);

        // and the address may connect again
        var later = new TestClient(server.address(), clientLoops.next(), TestClient.newKey());
        open.add(later);
        assertThat(later.call(id -> new ControlFrame.Ping(id, 4), ControlFrame.Pong.class).nonce()).isEqualTo(4);
    }

    /**
     * The server's timers run on a clock this test moves by hand, 200 ms per byte trickled: both
     * connections are still served after 1,800 ms and cut at exactly 2 s, the auth timeout.
     */
    @Test
    void aFinishedHandshakeWithoutLoginAndAMessageTrickledByteByByteAreCutAtTheAuthTimeout() throws Exception {
        var time = new ManualTime();
        start(LimitOptions.unlimited().withHandshakeTimeout(HANDSHAKE).withConnections(1_000, PER_ADDRESS),
                time::nanoTime);
        var silent = raw("127.0.0.2").handshake(TestClient.newKey());
        var trickler = raw("127.0.0.2").handshake(TestClient.newKey());
        // a PING is answered on the network loop once the handshake is done there: the auth timers are armed
        silent.send(new ControlFrame.Ping(1, 1));
        assertThat(silent.reply(1)).isInstanceOf(ControlFrame.Pong.class);
        trickler.send(new ControlFrame.Ping(1, 1));
        assertThat(trickler.reply(1)).isInstanceOf(ControlFrame.Pong.class);
        // announce a long transport message, then send it one byte every 200 ms
        trickler.writeRaw(new byte[] {0x7f, (byte) 0xff});
        int step = 200;
        for (int i = 1; i < AUTH.toMillis() / step; i++) {
            trickler.writeRaw(new byte[] {1});
            advance(time, Duration.ofMillis(step));
            // the timers due by now have run: a connection they cut would not answer
            silent.send(new ControlFrame.Ping(i + 1, i));
            assertThat(silent.reply(i + 1)).as("answered after %d ms", i * step).isInstanceOf(ControlFrame.Pong.class);
        }
        trickler.writeRaw(new byte[] {1});
        advance(time, Duration.ofMillis(step));
        assertThat(silent.closedWithin(10_000)).as("cut at the auth timeout").isTrue();
        assertThat(trickler.closedWithin(10_000)).as("cut at the auth timeout").isTrue();
        assertThat(honest().register("dave", "password").auth.user()).isEqualTo("dave");
    }

    @Test
    void aHandshakeFloodNeverHoldsMoreThanThePerAddressLimit() throws Exception {
        start(LimitOptions.unlimited().withHandshakeTimeout(HANDSHAKE).withConnections(1_000, PER_ADDRESS));
        var alice = honest().register("alice", "password-a");
        int peak = 0;
        for (int i = 0; i < 200; i++) {
            try {
                var p = raw("127.0.0.3");
                // a valid message 1, then silence: the server answers with message 2 and waits for message 3
                p.writeMessage(X25519KeyPair.generate(RawPeer.RANDOM).publicKey());
            } catch (java.io.IOException refusedOrReset) {
                // a refused socket may already be closed when message 1 goes out
            }
            peak = Math.max(peak, server.openConnections());
        }
        // the attackers' share, alice, and at most one being counted and refused at that instant
        assertThat(peak).isLessThanOrEqualTo(PER_ADDRESS + 2);
        Await.until(() -> server.refusedConnections() >= 200 - PER_ADDRESS, "every connection beyond the limit refused");
        assertThat(alice.call(id -> new ControlFrame.Ping(id, 1), ControlFrame.Pong.class).nonce()).isEqualTo(1);
    }

    @Test
    void aRequestFloodIsThrottledThenCutOffWhileOthersAreServed() throws Exception {
        var limits = LimitOptions.unlimited().withRequests(
                crumbhub.server.config.Rate.of(50, Duration.ofSeconds(1)),
                crumbhub.server.config.Rate.of(1_000, Duration.ofSeconds(1)));
        start(limits);
        var flooder = honest();
        flooder.register("mallory", "password-m");
        var victim = honest().register("alice", "password-a");
        int throttled = 0;
        boolean cut = false;
        var replies = new ArrayList<java.util.concurrent.CompletableFuture<Frame>>();
        for (int i = 0; i < 400 && !cut; i++) {
            try {
                replies.add(flooder.rpc.request(id -> new RoomFrame.RoomList(id)));
            } catch (RuntimeException closed) {
                cut = true;
            }
        }
        String lastMessage = "";
        for (var r : replies) {
            try {
                Frame f = r.get(5, TimeUnit.SECONDS);
                if (f instanceof ControlFrame.Error err && err.errorCode().orElse(null) == ErrorCode.THROTTLED) {
                    throttled++;
                    lastMessage = err.message();
                }
            } catch (ExecutionException closed) {
                cut = true;
            }
        }
        assertThat(throttled).isPositive();
        assertThat(lastMessage).contains("too many requests");
        assertThat(flooder.rpc.closed().get(5, TimeUnit.SECONDS)).as("sustained abuse closes the connection")
                .isNotNull();
        assertThat(victim.call(RoomFrame.RoomList::new)).isInstanceOf(RoomFrame.RoomListReply.class);
    }

    @Test
    void connectionsThatComeAndGoLeaveNothingBehind() throws Exception {
        start(LimitOptions.unlimited());
        var alice = honest().register("alice", "password-a");
        churn(100); // warm-up
        long before = heapAfterGc();
        churn(1_000);
        Await.until(() -> server.openConnections() == 1, "the churned connections are gone");
        long growth = heapAfterGc() - before;
        // each closed connection once stayed reachable from its auth-timeout timer for 30 s
        assertThat(growth).as("heap growth after 1,000 connections came and went").isLessThan(1L << 20);
        assertThat(alice.call(id -> new ControlFrame.Ping(id, 9), ControlFrame.Pong.class).nonce()).isEqualTo(9);
    }

    /** One more byte of message 1 from the first half of the attackers. */
    private static void trickle(List<RawPeer> attackers, byte b) throws java.io.IOException {
        for (int i = 0; i < PER_ADDRESS / 2; i++) {
            attackers.get(i).writeRaw(new byte[] {b});
        }
    }

    /** Connections that finish the handshake, then leave without logging in. */
    private void churn(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            try (var p = new RawPeer(server.address(), "127.0.0.4")) {
                p.handshake(TestClient.newKey());
            }
        }
    }

    private static long heapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc(); // a full collection, done when it returns (G1 without ExplicitGCInvokesConcurrent)
            best = Math.min(best, rt.totalMemory() - rt.freeMemory());
        }
        return best;
    }
}
