package crumbhub.wire.net;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.wire.CloseReason.Kind;
import crumbhub.wire.CloseReason;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.MessageId;
import crumbhub.wire.TargetKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NoiseConnectionTest extends LoopbackFixture {

    private static MessageFrame.Deliver deliver(long seq, int bodySize) {
        return new MessageFrame.Deliver(0, TargetKind.ROOM, "general", "alice", 1, seq, 1_000 + seq,
                new MessageId(seq, ~seq), 1, new byte[bodySize]);
    }

    @Test
    void handshakeAuthenticatesBothStaticKeysAndAgreesOnTheHash() throws Exception {
        var client = new RecordingHandler();
        connect(client);
        Connection c = client.awaitReady();
        Connection s = nextServerHandler().awaitReady();
        assertThat(c.remoteStatic()).isEqualTo(serverKey.publicKey());
        assertThat(client.offeredKey).isEqualTo(serverKey.publicKey());
        assertThat(s.remoteStatic()).isEqualTo(clientKey.publicKey());
        assertThat(c.handshakeHash()).isEqualTo(s.handshakeHash()).hasSize(32);
        assertThat(c.isOpen()).isTrue();
        assertThat(server.publicKey()).isEqualTo(serverKey.publicKey());
        assertThat(client.threads).allMatch(t -> t.equals("cli"));
    }

    @Test
    void framesSentBeforeTheHandshakeFinishesTravelRightBehindMessage3() throws Exception {
        var client = new RecordingHandler();
        Connection c = connect(client);
        for (int i = 1; i <= 3; i++) {
            assertThat(c.send(new ControlFrame.Ping(i, i))).isTrue();
        }
        RecordingHandler server = nextServerHandler();
        for (int i = 1; i <= 3; i++) {
            assertThat(server.nextFrame()).isEqualTo(new ControlFrame.Ping(i, i));
        }
        assertThat(onLoop(clientLoop, ((NoiseConnection) c)::messagesSent)).isEqualTo(1);
    }

    @Test
    void clientAndServerExchangeManyFramesBothWaysInOrder() throws Exception {
        int n = 3_000;
        serverSetup = h -> h.onFrame = (conn, f) -> {
            if (f instanceof ControlFrame.Ping p) {
                conn.send(new ControlFrame.Pong(p.requestId(), p.nonce()));
            }
        };
        var client = new RecordingHandler();
        Connection c = connect(client);
        client.awaitReady();
        Connection s = nextServerHandler().awaitReady();
        Thread pusher = Thread.ofPlatform().start(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
            for (int i = 0; i < n && System.nanoTime() < deadline; i++) {
                while (!s.isWritable() && System.nanoTime() < deadline) {
                    Thread.onSpinWait(); // a server holds live pushes back while unwritable
                }
                assertThat(s.send(deliver(i, i % 700))).isTrue();
            }
        });
        for (int i = 1; i <= n; i++) {
            assertThat(c.send(new ControlFrame.Ping(i, i * 7L))).isTrue();
        }
        List<Long> pongs = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < 2 * n; i++) {
            switch (client.nextFrame()) {
                case ControlFrame.Pong p -> pongs.add(p.nonce());
                case MessageFrame.Deliver d -> {
                    assertThat(d.body()).hasSize((int) (d.seq() % 700));
                    seqs.add(d.seq());
                }
                default -> throw new AssertionError("unexpected frame");
            }
        }
        pusher.join(TimeUnit.SECONDS.toMillis(WAIT_S));
        assertThat(pongs).hasSize(n).isSorted().first().isEqualTo(7L);
        assertThat(seqs).hasSize(n).isSorted();
    }

    @Test
    void framesSentInOneTickAreCoalescedIntoFewNoiseMessages() throws Exception {
        var client = new RecordingHandler();
        Connection c = connect(client);
        client.awaitReady();
        RecordingHandler server = nextServerHandler();
        server.awaitReady();
        var nc = (NoiseConnection) c;
        long before = onLoop(clientLoop, nc::messagesSent);
        onLoop(clientLoop, () -> {
            for (int i = 1; i <= 500; i++) {
                c.send(new ControlFrame.Ping(i, i));
            }
            return null;
        });
        for (int i = 1; i <= 500; i++) {
            assertThat(((ControlFrame.Ping) server.nextFrame()).nonce()).isEqualTo(i);
        }
        assertThat(onLoop(clientLoop, nc::messagesSent) - before).as("500 small frames in one tick").isEqualTo(1);

        before = onLoop(clientLoop, nc::messagesSent);
        onLoop(clientLoop, () -> {
            for (int i = 0; i < 10; i++) {
                c.send(new MessageFrame.Send(i + 1, TargetKind.ROOM, "r", new MessageId(0, i), 1, new byte[30_000]));
            }
            return null;
        });
        for (int i = 0; i < 10; i++) {
            assertThat(server.nextFrame()).isInstanceOf(MessageFrame.Send.class);
        }
        // two 30 kB frames fit one 65,519-byte plaintext: ten need five messages
        assertThat(onLoop(clientLoop, nc::messagesSent) - before).isEqualTo(5);
    }

    @Test
    void mismatchedRekeyIntervalsBreakTheStreamProvingRekeyChangesKeys() throws Exception {
        var client = new RecordingHandler();
        Connection c = connect(client, ConnectionOptions.client().withRekeyInterval(2));
        client.awaitReady();
        RecordingHandler server = nextServerHandler();
        for (int i = 1; i <= 3; i++) {
            onLoop(clientLoop, () -> c.send(new ControlFrame.Ping(1, 1)));
            if (i <= 2) {
                server.nextFrame();
            }
        }
        CloseReason reason = server.awaitClosed();
        assertThat(reason.kind()).isEqualTo(Kind.PROTOCOL_ERROR);
        assertThat(reason.detail()).contains("failed authentication");
    }

    @Test
    void closeAfterFlushDeliversQueuedFramesThenCloses() throws Exception {
        var client = new RecordingHandler();
        connect(client);
        client.awaitReady();
        RecordingHandler server = nextServerHandler();
        Connection s = server.awaitReady();
        onLoop(s.loop(), () -> {
            for (int i = 0; i < 100; i++) {
                s.send(deliver(i, 5_000));
            }
            s.closeAfterFlush();
            return null;
        });
        assertThat(s.send(deliver(999, 1))).isFalse();
        for (int i = 0; i < 100; i++) {
            assertThat(((MessageFrame.Deliver) client.nextFrame()).seq()).isEqualTo(i);
        }
        assertThat(client.awaitClosed().kind()).isEqualTo(Kind.PEER_CLOSED);
        assertThat(server.awaitClosed().kind()).isEqualTo(Kind.LOCAL);
    }

    @Test
    void aThrowingHandlerClosesOnlyItsOwnConnection() throws Exception {
        serverSetup = h -> h.onFrame = (conn, f) -> {
            if (f instanceof ControlFrame.Ping p && p.nonce() == 666) {
                throw new IllegalStateException("deliberate handler failure");
            }
            conn.send(new ControlFrame.Ok(f.requestId()));
        };
        var victim = new RecordingHandler();
        connect(victim).send(new ControlFrame.Ping(1, 666));
        RecordingHandler victimServer = nextServerHandler();
        var survivor = new RecordingHandler();
        Connection other = connect(survivor);
        survivor.awaitReady();
        assertThat(victimServer.awaitClosed().kind()).isEqualTo(Kind.HANDLER_ERROR);
        assertThat(victim.awaitClosed().kind()).isEqualTo(Kind.PEER_CLOSED);
        other.send(new ControlFrame.Ping(2, 2));
        assertThat(survivor.nextFrame()).isEqualTo(new ControlFrame.Ok(2));
    }

    @Test
    void connectingToAClosedPortFailsWithAReason() throws Exception {
        var probe = java.nio.channels.ServerSocketChannel.open().bind(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
        var dead = (java.net.InetSocketAddress) probe.getLocalAddress();
        probe.close();
        var client = new RecordingHandler();
        NoiseClient.connect(dead, clientLoop, clientKey, client, ConnectionOptions.client());
        assertThat(client.awaitClosed().kind()).isEqualTo(Kind.CONNECT_FAILED);
        assertThat(client.ready).isNotDone();
    }

    @Test
    void shuttingDownTheServerLoopsClosesTheirConnections() throws Exception {
        var client = new RecordingHandler();
        connect(client);
        client.awaitReady();
        RecordingHandler server = nextServerHandler();
        server.awaitReady();
        serverLoops.shutdownGracefully().get(WAIT_S, TimeUnit.SECONDS);
        assertThat(server.awaitClosed().kind()).isEqualTo(Kind.SHUTDOWN);
        assertThat(client.awaitClosed().kind()).isIn(Kind.PEER_CLOSED, Kind.IO_ERROR);
    }
}
