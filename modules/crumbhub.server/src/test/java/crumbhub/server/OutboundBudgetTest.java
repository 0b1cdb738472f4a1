package crumbhub.server;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.server.config.HostPort;
import crumbhub.server.config.LimitOptions;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.Quotas;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.testkit.Await;
import crumbhub.wire.AuthFrame;
import crumbhub.wire.Frame;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.MessageId;
import crumbhub.wire.TargetKind;
import crumbhub.wire.loop.EventLoopGroup;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack: a patient user with an account opens many connections that ask for a large backlog
 * and then stop reading. Each connection alone stays under its own outbound bound, but together
 * they held that bound times the number of connections, which thousands of connections turn into
 * the whole heap. With {@code max.outbound.total.bytes} the server holds at most the budget plus a
 * little per connection, and every stalled device still gets everything, in order, once it reads.
 */
class OutboundBudgetTest {
    private static final int STALLED = 10;
    /** 5.5 MB per device: more than the kernel's socket buffers take (up to 4 MiB on Linux) plus the bounds. */
    private static final int BACKLOG = 110;
    private static final int BODY = 50_000;
    private static final long PER_CONNECTION = Long.getLong("crumbhub.test.perConnection", 256 * 1024);
    private static final long BUDGET = Long.getLong("crumbhub.test.budget", 512 * 1024);

    @TempDir
    Path data;

    @Test
    void manyStalledReadersTogetherHoldNoMoreThanTheServersOutboundBudget() throws Exception {
        var options = ServerOptions.builder().registration(RegistrationMode.OPEN)
                .dataDir(data).listen(new HostPort("127.0.0.1", 0)).loopThreads(2).hashThreads(1)
                .passwordIterations(1000).maxOutboundBytes(PER_CONNECTION).maxOutboundTotalBytes(BUDGET)
                .limits(LimitOptions.unlimited()).quotas(Quotas.unlimited()).build();
        var random = new SecureRandom();
        try (var loops = new EventLoopGroup("budget-test", 2); var server = Server.start(options)) {
            var keys = new ArrayList<crumbhub.crypto.X25519KeyPair>();
            var auths = new ArrayList<AuthFrame.AuthOk>();
            for (int i = 0; i < STALLED; i++) {
                var key = TestClient.newKey();
                try (var c = new TestClient(server.address(), loops.next(), key)) {
                    auths.add(c.register("stalled" + i, "password").auth);
                }
                keys.add(key);
            }
            try (var sender = new TestClient(server.address(), loops.next(), TestClient.newKey())) {
                sender.register("sender", "password");
                for (int i = 0; i < STALLED; i++) {
                    String to = "stalled" + i;
                    for (int m = 0; m < BACKLOG; m++) {
                        byte[] body = new byte[BODY];
                        body[0] = (byte) m;
                        sender.call(r -> new MessageFrame.Send(r, TargetKind.DIRECT, to, MessageId.random(random), 0,
                                body), MessageFrame.SendOk.class);
                    }
                }
            }

            var stalled = new ArrayList<RawPeer>();
            try {
                for (int i = 0; i < STALLED; i++) {
                    var peer = new RawPeer(server.address(), "127.0.0.1", 4096);
                    stalled.add(peer);
                    peer.handshake(keys.get(i));
                    var auth = auths.get(i);
                    peer.send(new AuthFrame.Resume(1, auth.user(), auth.deviceId(), auth.token()));
                    assertThat(peer.reply(1)).isInstanceOf(AuthFrame.AuthOk.class);
                    peer.send(new MessageFrame.Sync(2));
                }
                // every connection asked for 5.5 MB and reads nothing: the server queues until its bounds hold
                Await.until(() -> outbound(server) >= Math.min(BUDGET, STALLED * PER_CONNECTION) * 3 / 4,
                        "the stalled connections fill the budget");
                long[] max = {0};
                int[] polls = {0};
                Await.until(() -> {
                    max[0] = Math.max(max[0], outbound(server));
                    return ++polls[0] >= 30;
                }, "30 samples of what the server holds");
                long bound = BUDGET + STALLED * (16 * 1024 + BODY + 64);
                assertThat(max[0]).as("bytes queued on %d stalled connections (each may hold %d alone)", STALLED,
                        PER_CONNECTION).isLessThanOrEqualTo(bound);
                assertThat(STALLED * PER_CONNECTION).as("without the budget they could hold this much")
                        .isGreaterThan(2 * BUDGET);

                // once they read, each gets its whole backlog, in order, exactly once
                for (RawPeer peer : stalled) {
                    var firstBytes = new ArrayList<Integer>();
                    while (firstBytes.size() < BACKLOG) {
                        Frame f = peer.next();
                        if (f instanceof MessageFrame.Deliver d) {
                            firstBytes.add((int) d.body()[0]);
                        }
                    }
                    var expected = new ArrayList<Integer>();
                    for (int m = 0; m < BACKLOG; m++) {
                        expected.add(m);
                    }
                    assertThat(firstBytes).isEqualTo(expected);
                }
            } finally {
                for (RawPeer peer : stalled) {
                    peer.close();
                }
            }
        }
    }

    private static long outbound(Server server) {
        try {
            return server.admin().stats().get(10, TimeUnit.SECONDS).outboundBytes();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
