package crumbhub.wire.net;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.testkit.ManualTime;
import crumbhub.wire.CloseReason.Kind;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.MessageId;
import crumbhub.wire.TargetKind;
import crumbhub.wire.loop.NanoClock;
import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The transitions of the lifecycle drawn in {@link Connection} that other tests do not reach:
 * closing during the handshake, and each way out of CLOSING and FIN_SENT. Timers run on a manual
 * clock, so the close timeout fires exactly when a test moves time past it.
 */
class ConnectionLifecycleTest extends LoopbackFixture {
    private static final Duration CLOSE_FLUSH = Duration.ofSeconds(5);

    private final ManualTime time = new ManualTime();

    @Override
    NanoClock clock() {
        return time::nanoTime;
    }

    @Override
    ConnectionOptions serverOptions() {
        return ConnectionOptions.server().withCloseFlushTimeout(CLOSE_FLUSH)
                .withOutboundLimits(256 * 1024, 64 * 1024 * 1024);
    }

    private static MessageFrame.Deliver deliver(long seq, int bodySize) {
        return new MessageFrame.Deliver(0, TargetKind.ROOM, "general", "alice", 1, seq, 1_000 + seq,
                new MessageId(seq, ~seq), 1, new byte[bodySize]);
    }

    /** Moves time on by {@code d}, then waits until {@code c}'s loop ran the timers that became due. */
    private void advance(Connection c, Duration d) throws Exception {
        time.advance(d);
        var ran = new CompletableFuture<Void>();
        c.loop().schedule(Duration.ZERO, () -> ran.complete(null));
        ran.get(WAIT_S, TimeUnit.SECONDS);
    }

    /** A server-side connection to a raw peer that finished the handshake. */
    private Connection serverConnectionTo(RawNoisePeer peer, RecordingHandler server) throws Exception {
        peer.handshake(key(3));
        return server.awaitReady();
    }

    @Test
    void closeAfterFlushDuringTheHandshakeClosesAtOnce() throws Exception {
        try (var silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            silent.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_S));
            var client = new RecordingHandler();
            Connection c = NoiseClient.connect((InetSocketAddress) silent.getLocalSocketAddress(), clientLoop,
                    clientKey, client, ConnectionOptions.client());
            try (var accepted = silent.accept()) {
                accepted.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_S));
                var in = new DataInputStream(accepted.getInputStream());
                in.readFully(new byte[2 + Handshake.MSG1_LENGTH]); // message 1 left: the client is handshaking
                assertThat(c.send(new ControlFrame.Ping(1, 1))).as("frames wait for the handshake").isTrue();
                assertThat(c.isOpen()).isFalse();

                c.closeAfterFlush();

                assertThat(client.awaitClosed().kind()).isEqualTo(Kind.LOCAL);
                assertThat(client.ready).isNotDone();
                assertThat(c.closeReason().kind()).isEqualTo(Kind.LOCAL);
                assertThat(c.send(new ControlFrame.Ping(2, 2))).isFalse();
                assertThat(in.read()).as("nothing but the end of the stream").isEqualTo(-1);
            }
        }
    }

    @Test
    void closingWhileJudgingThePeersKeyEndsTheHandshakeWithoutReady() throws Exception {
        serverSetup = h -> h.whileJudgingKey = Connection::close;
        assertTheServerClosesBeforeReady();
    }

    @Test
    void closeAfterFlushWhileJudgingThePeersKeyClosesAtOnceWithoutReady() throws Exception {
        serverSetup = h -> h.whileJudgingKey = Connection::closeAfterFlush;
        assertTheServerClosesBeforeReady();
    }

    private void assertTheServerClosesBeforeReady() throws Exception {
        var client = new RecordingHandler();
        connect(client);
        RecordingHandler server = nextServerHandler();

        assertThat(server.awaitClosed().kind()).isEqualTo(Kind.LOCAL);
        assertThat(server.ready).as("no onReady after onClosed").isNotDone();
        assertThat(client.awaitClosed().kind()).isIn(Kind.PEER_CLOSED, Kind.IO_ERROR);
    }

    @Test
    void closeAfterFlushSendsTheQueuedFramesThenFinAndThePeersEofEndsIt() throws Exception {
        RecordingHandler server;
        Connection s;
        try (var peer = new RawNoisePeer(address())) {
            server = nextServerHandler();
            s = serverConnectionTo(peer, server);
            onLoop(s.loop(), () -> {
                s.send(new ControlFrame.Pong(7, 7));
                s.closeAfterFlush();
                return null;
            });
            assertThat(peer.readFrame()).isEqualTo(new ControlFrame.Pong(7, 7));
            assertThat(peer.sawEndOfStream()).as("FIN after the queued frame").isTrue();

            assertThat(s.isOpen()).isFalse();
            assertThat(s.send(new ControlFrame.Pong(8, 8))).isFalse();
            assertThat(onLoop(s.loop(), s::closeReason)).as("waiting for the peer's EOF").isNull();
            assertThat(server.closed).isNotDone();
        }
        assertThat(server.awaitClosed().kind()).as("the closing reason, not PEER_CLOSED").isEqualTo(Kind.LOCAL);
    }

    @Test
    void afterFinThePeerGetsTheCloseTimeoutToCloseItsSide() throws Exception {
        try (var peer = new RawNoisePeer(address())) {
            RecordingHandler server = nextServerHandler();
            Connection s = serverConnectionTo(peer, server);
            s.closeAfterFlush();
            assertThat(peer.sawEndOfStream()).isTrue();

            advance(s, CLOSE_FLUSH.minusMillis(1));
            assertThat(server.closed).isNotDone();
            advance(s, Duration.ofMillis(1));
            assertThat(server.awaitClosed().kind()).as("everything was flushed").isEqualTo(Kind.LOCAL);
        }
    }

    @Test
    void aPeerThatTakesNothingEndsClosingWithTheFlushTimeout() throws Exception {
        try (var peer = new RawNoisePeer(address())) {
            RecordingHandler server = nextServerHandler();
            Connection s = serverConnectionTo(peer, server);
            int queued = onLoop(s.loop(), () -> {
                int n = 0;
                while (n < 500 && s.send(deliver(n, 60_000))) {
                    n++;
                }
                s.closeAfterFlush();
                return n;
            });
            assertThat(queued).isEqualTo(500);
            assertThat(onLoop(s.loop(), s::outboundBytes)).as("more than the socket buffers hold")
                    .isPositive();

            advance(s, CLOSE_FLUSH);
            var reason = server.awaitClosed();
            assertThat(reason.kind()).isEqualTo(Kind.FLUSH_TIMEOUT);
            assertThat(reason.detail()).contains("closing because");
        }
    }

    @Test
    void closeDuringClosingClosesAtOnceWithItsOwnReason() throws Exception {
        try (var peer = new RawNoisePeer(address())) {
            RecordingHandler server = nextServerHandler();
            Connection s = serverConnectionTo(peer, server);
            boolean openWhileClosing = onLoop(s.loop(), () -> {
                for (int i = 0; i < 500 && s.send(deliver(i, 60_000)); i++) {
                    // queue more than the socket buffers hold, so that closing cannot finish
                }
                s.closeAfterFlush();
                boolean open = s.isOpen();
                s.close();
                return open;
            });
            assertThat(openWhileClosing).isFalse();
            assertThat(server.awaitClosed().kind()).isEqualTo(Kind.LOCAL);
            assertThat(s.outboundBytes()).as("queued frames dropped").isZero();
        }
    }

    @Test
    void aPeerLeavingInTheMiddleOfTheHandshakeClosesItWithoutReady() throws Exception {
        try (var peer = new RawNoisePeer(address())) {
            RecordingHandler server = nextServerHandler();
            peer.writeMessage(key(4).publicKey()); // message 1: an ephemeral key
            peer.readMessage(); // message 2: the server is handshaking
            assertThat(server.closed).isNotDone();
            peer.close();
            assertThat(server.awaitClosed().kind()).isIn(Kind.PEER_CLOSED, Kind.IO_ERROR);
            assertThat(server.ready).isNotDone();
        }
    }
}
