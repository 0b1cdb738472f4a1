package crumbhub.server;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.crypto.X25519KeyPair;
import crumbhub.server.config.HostPort;
import crumbhub.server.config.LimitOptions;
import crumbhub.server.config.Rate;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.testkit.Await;
import crumbhub.testkit.ManualTime;
import crumbhub.wire.AuthFrame;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;
import crumbhub.wire.loop.EventLoopGroup;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 findings 4 and 7 on a real server over 127.0.0.x: failures from several addresses do
 * not lock the owner out of a known address or device; a REGISTER of a taken name costs a
 * password hash and counts against nobody's login; refused registrations leave the server-wide
 * budget to real invitees. Time is a {@link ManualTime} moved by hand; nothing sleeps.
 */
class LockoutTest {
    private static final Duration BASE = Duration.ofSeconds(1);
    private static final Duration LONG = Duration.ofDays(365);
    private static final String PASSWORD = "the right one";

    @TempDir
    Path data;

    private final ManualTime time = new ManualTime();
    private final List<TestClient> clients = new ArrayList<>();
    private EventLoopGroup loops;
    private Server server;

    private void start(RegistrationMode mode, LimitOptions limits) throws Exception {
        var options = ServerOptions.builder().registration(mode).dataDir(data)
                .listen(new HostPort("127.0.0.1", 0)).metrics(new HostPort("127.0.0.1", 0)).loopThreads(1)
                .hashThreads(1).passwordIterations(1000).throttle(BASE, Duration.ofSeconds(60))
                .limits(limits.withHandshakeTimeout(LONG)).authTimeout(LONG).idleTimeout(LONG)
                .clock(time.clock()).ticks(time::nanoTime).build();
        loops = new EventLoopGroup("test-client", 1);
        server = Server.start(options);
    }

    @AfterEach
    void stop() {
        clients.forEach(TestClient::close);
        if (server != null) {
            server.close();
        }
        if (loops != null) {
            loops.close();
        }
    }

    private TestClient from(String host) throws Exception {
        return from(host, TestClient.newKey());
    }

    private TestClient from(String host, X25519KeyPair key) throws Exception {
        var c = new TestClient(server.address(), new InetSocketAddress(host, 0), loops.next(), key);
        clients.add(c);
        return c;
    }

    /** The reply to {@code request}, moving the server's time on until a held-back reply comes. */
    private Frame answer(TestClient c, IntFunction<Frame> request) {
        CompletableFuture<Frame> reply = c.rpc.request(request);
        Await.until(() -> {
            if (!reply.isDone()) {
                time.advance(BASE);
                runDue();
            }
            return reply.isDone();
        }, "the reply");
        return reply.join();
    }

    private void runDue() {
        try {
            server.runDueTimers();
        } catch (Exception e) {
            throw new AssertionError("the server did not run its due timers", e);
        }
    }

    private long metricNow(String name) {
        try {
            return metric(name);
        } catch (Exception e) {
            throw new AssertionError("no metrics", e);
        }
    }

    private static ErrorCode code(Frame f) {
        return f instanceof ControlFrame.Error e ? e.errorCode().orElseThrow() : null;
    }

    private static AuthFrame.Login login(int id, String password) {
        return new AuthFrame.Login(id, "alice", TestClient.bytes(password), "d");
    }

    /** One value of the server's {@code /metrics}, read over its real HTTP port. */
    private long metric(String name) throws Exception {
        try (var s = new Socket()) {
            s.connect(server.metricsAddress(), 10_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /metrics HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.lines().filter(l -> l.startsWith(name + " ")).map(l -> l.substring(name.length() + 1).trim())
                    .mapToLong(v -> (long) Double.parseDouble(v)).findFirst().orElse(-1);
        }
    }

    @Test
    void failuresFromSevenAddressesDoNotLockTheOwnerOutOfAKnownAddressOrDevice() throws Exception {
        start(RegistrationMode.OPEN, LimitOptions.unlimited());
        var device = TestClient.newKey();
        from("127.0.0.3", device).register("alice", PASSWORD);
        // seven addresses guess at once: the account is blocked for every address it does not know
        var guesses = new ArrayList<CompletableFuture<Frame>>();
        for (int a = 4; a <= 10; a++) {
            TestClient attacker = from("127.0.0." + a);
            guesses.add(attacker.rpc.request(id -> login(id, "a wrong guess")));
        }
        // the first three are checked and fail; the others may already find the account blocked
        Await.until(() -> metricNow("crumbhub_login_failures_total") >= 3, "failures from three addresses recorded");

        assertThat(code(answer(from("127.0.0.20"), id -> login(id, PASSWORD))))
                .as("a stranger's address, even with the password").isEqualTo(ErrorCode.THROTTLED);
        assertThat(answer(from("127.0.0.3"), id -> login(id, PASSWORD)))
                .as("the owner's address that logged in before").isInstanceOf(AuthFrame.AuthOk.class);
        assertThat(answer(from("127.0.0.21", device), id -> login(id, PASSWORD)))
                .as("the owner's device from a new address").isInstanceOf(AuthFrame.AuthOk.class);

        Await.until(() -> {
            time.advance(BASE);
            runDue();
            return guesses.stream().allMatch(CompletableFuture::isDone);
        }, "the guesses answered");
        assertThat(guesses).allSatisfy(g -> assertThat(code(g.join())).isIn(ErrorCode.BAD_CREDENTIALS, ErrorCode.THROTTLED));
    }

    @Test
    void registeringATakenNameCostsAHashAndLocksNobodyOut() throws Exception {
        start(RegistrationMode.OPEN, LimitOptions.unlimited());
        from("127.0.0.3").register("alice", PASSWORD);
        long hashes = metric("crumbhub_password_hashes_total");
        assertThat(hashes).as("one hash for alice's account").isEqualTo(1);
        for (int a = 4; a <= 7; a++) {
            assertThat(code(answer(from("127.0.0." + a),
                    id -> new AuthFrame.Register(id, "alice", TestClient.bytes("probing the name"), "", "d"))))
                    .isEqualTo(ErrorCode.EXISTS);
        }
        assertThat(metric("crumbhub_password_hashes_total")).as("a hash for each taken-name probe, as for a new account")
                .isEqualTo(hashes + 4);
        assertThat(answer(from("127.0.0.20"), id -> login(id, PASSWORD)))
                .as("the owner from a new address").isInstanceOf(AuthFrame.AuthOk.class);
    }

    @Test
    void refusedRegistrationsLeaveTheServerWideBudgetToARealInvitee() throws Exception {
        start(RegistrationMode.INVITE, LimitOptions.unlimited().withRegistrations(Rate.of(1_000, Duration.ofHours(1)),
                Rate.of(5, Duration.ofHours(1))));
        String invite = server.admin().createInvite(1, Duration.ofDays(1)).get();
        for (int i = 0; i < 20; i++) {
            String name = i % 2 == 0 ? "admin" : "mallory" + i;
            String code = i % 2 == 0 ? invite : "not-an-invite";
            assertThat(code(answer(from("127.0.0." + (30 + i)),
                    id -> new AuthFrame.Register(id, name, TestClient.bytes("a long password"), code, "d"))))
                    .as(name).isIn(ErrorCode.INVALID_NAME, ErrorCode.INVITE_INVALID);
        }
        assertThat(answer(from("127.0.0.3"),
                id -> new AuthFrame.Register(id, "carol", TestClient.bytes("a long password"), invite, "d")))
                .isInstanceOf(AuthFrame.AuthOk.class);
    }
}
