package crumbhub.wire.net;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.wire.CloseReason.Kind;
import crumbhub.wire.CloseReason;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Garbage, lying lengths and malformed frames close the offending connection with a clear
 * reason, while another connection on the same server keeps working.
 */
class HostilePeerTest extends LoopbackFixture {
    private RecordingHandler bystander;
    private Connection bystanderConnection;

    @Override
    ConnectionOptions serverOptions() {
        return ConnectionOptions.server().withHandshakeTimeout(ms(300)).withCloseFlushTimeout(ms(500));
    }

    @BeforeEach
    void connectBystander() throws Exception {
        serverSetup = h -> h.onFrame = (conn, f) -> conn.send(new ControlFrame.Ok(f.requestId()));
        bystander = new RecordingHandler();
        bystanderConnection = connect(bystander);
        bystander.awaitReady();
        nextServerHandler().awaitReady();
    }

    private void assertBystanderStillWorks() throws Exception {
        int id = 100 + bystander.frames.size();
        assertThat(bystanderConnection.send(new ControlFrame.Ping(id, 1))).isTrue();
        assertThat(bystander.nextFrame()).isEqualTo(new ControlFrame.Ok(id));
        assertThat(bystander.closed).isNotDone();
    }

    private CloseReason serverSideCloseOf(RawNoisePeer peer) throws Exception {
        assertThat(peer.sawEndOfStream()).as("the server closed the socket").isTrue();
        peer.close();
        return nextServerHandler().awaitClosed();
    }

    @Test
    void garbageBeforeTheHandshakeClosesThatConnectionOnly() throws Exception {
        try (var peer = new RawNoisePeer(address())) {
            peer.writeRaw("GET / HTTP/1.1\r\nHost: example\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            CloseReason reason = serverSideCloseOf(peer);
            assertThat(reason.kind()).isEqualTo(Kind.HANDSHAKE_FAILED);
            assertThat(reason.detail()).contains("handshake message 1 announced 18245 bytes, expected 32");
        }
        assertBystanderStillWorks();
    }

    @Test
    void randomBytesOfTheRightLengthFailTheHandshakeAtMessage3() throws Exception {
        Random rnd = new Random(42);
        try (var peer = new RawNoisePeer(address())) {
            byte[] e = new byte[32];
            rnd.nextBytes(e);
            peer.writeMessage(e);
            assertThat(peer.readMessage()).hasSize(Handshake.MSG2_LENGTH);
            byte[] junk = new byte[Handshake.MSG3_LENGTH];
            rnd.nextBytes(junk);
            peer.writeMessage(junk);
            CloseReason reason = serverSideCloseOf(peer);
            assertThat(reason.kind()).isEqualTo(Kind.HANDSHAKE_FAILED);
            assertThat(reason.detail()).contains("handshake message 3 was refused");
        }
        assertBystanderStillWorks();
    }

    @Test
    void aZeroLengthMessageDuringTheHandshakeIsRefused() throws Exception {
        try (var peer = new RawNoisePeer(address())) {
            peer.writeRaw(new byte[] {0, 0});
            assertThat(serverSideCloseOf(peer).kind()).isEqualTo(Kind.HANDSHAKE_FAILED);
        }
        assertBystanderStillWorks();
    }

    @Test
    void garbageAfterTheHandshakeFailsAuthenticationAndCloses() throws Exception {
        try (var peer = new RawNoisePeer(address())) {
            peer.handshake(key(7));
            byte[] junk = new byte[200];
            new Random(7).nextBytes(junk);
            peer.writeMessage(junk);
            CloseReason reason = serverSideCloseOf(peer);
            assertThat(reason.kind()).isEqualTo(Kind.PROTOCOL_ERROR);
            assertThat(reason.detail()).contains("failed authentication");
        }
        assertBystanderStillWorks();
    }

    @Test
    void aTransportLengthTooShortForAFrameIsRefusedBeforeReadingIt() throws Exception {
        try (var peer = new RawNoisePeer(address())) {
            peer.handshake(key(8));
            peer.writeRaw(new byte[] {0, 3, 1, 2, 3});
            CloseReason reason = serverSideCloseOf(peer);
            assertThat(reason.kind()).isEqualTo(Kind.PROTOCOL_ERROR);
            assertThat(reason.detail()).contains("3 bytes cannot hold a frame");
        }
        assertBystanderStillWorks();
    }

    @Test
    void aLyingTransportLengthThatOverstatesTheMessageIsNeverDecrypted() throws Exception {
        try (var peer = new RawNoisePeer(address())) {
            peer.handshake(key(9));
            peer.writeRaw(new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3}); // says 65,535, sends 3, then stops
            peer.writeMessage(new byte[100]);                           // swallowed into the lying message
            assertThat(peer.sawEndOfStream(200)).as("still waiting for the rest").isFalse();
        }
        CloseReason reason = nextServerHandler().awaitClosed();
        assertThat(reason.kind()).isEqualTo(Kind.PEER_CLOSED);
        assertThat(reason.detail()).contains("middle of a message");
        assertBystanderStillWorks();
    }

    @Test
    void aMalformedFrameGetsErrorMalformedWithItsRequestIdThenTheConnectionCloses() throws Exception {
        try (var peer = new RawNoisePeer(address())) {
            peer.handshake(key(10));
            // PING whose frameLength (5) leaves no room for its u64 nonce: a lying frame length
            byte[] frame = {0, 5, 0x40, 0, 0, 0, 42, 1, 2, 3, 4, 5, 6, 7, 8};
            peer.sendPlaintext(frame);
            Frame reply = peer.readFrame();
            assertThat(reply).isInstanceOfSatisfying(ControlFrame.Error.class, e -> {
                assertThat(e.requestId()).isEqualTo(42);
                assertThat(e.errorCode()).contains(ErrorCode.MALFORMED);
                assertThat(e.message()).contains("nonce runs past the end of the frame");
            });
            CloseReason reason = serverSideCloseOf(peer);
            assertThat(reason.kind()).isEqualTo(Kind.MALFORMED_FRAME);
        }
        assertBystanderStillWorks();
    }

    @Test
    void anUnknownFrameTypeReachesTheHandlerAndTheConnectionStaysOpen() throws Exception {
        try (var peer = new RawNoisePeer(address())) {
            peer.handshake(key(11));
            RecordingHandler server = nextServerHandler();
            peer.sendFrame(new Frame.Unknown(5, 0x5a));
            assertThat(server.nextFrame()).isEqualTo(new Frame.Unknown(5, 0x5a));
            assertThat(peer.readFrame()).isEqualTo(new ControlFrame.Ok(5));
            peer.sendFrame(new ControlFrame.Ping(6, 6));
            assertThat(peer.readFrame()).isEqualTo(new ControlFrame.Ok(6));
        }
    }

    @Test
    void aPeerThatNeverFinishesTheHandshakeIsClosedByTheHandshakeTimeout() throws Exception {
        try (var peer = new RawNoisePeer(address())) {
            CloseReason reason = serverSideCloseOf(peer);
            assertThat(reason.kind()).isEqualTo(Kind.HANDSHAKE_TIMEOUT);
            assertThat(reason.detail()).contains("300 ms");
        }
        assertBystanderStillWorks();
    }

    @Test
    void theClientRefusesAServerKeyItDoesNotTrustBeforeSendingMessage3() throws Exception {
        var client = new RecordingHandler();
        client.acceptKey = false;
        connect(client);
        CloseReason reason = client.awaitClosed();
        assertThat(reason.kind()).isEqualTo(Kind.KEY_REJECTED);
        assertThat(reason.detail()).contains(crumbhub.crypto.Fingerprint.of(serverKey.publicKey()));
        assertThat(client.offeredKey).isEqualTo(serverKey.publicKey());
        assertThat(client.ready).isNotDone();
        RecordingHandler server = nextServerHandler();
        assertThat(server.awaitClosed().kind()).isEqualTo(Kind.PEER_CLOSED);
        assertThat(server.ready).as("the server never saw message 3").isNotDone();
    }

    @Test
    void aClientWhoseServerNeverAnswersTimesOut() throws Exception {
        try (var silent = java.nio.channels.ServerSocketChannel.open()) {
            silent.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
            var client = new RecordingHandler();
            NoiseClient.connect((java.net.InetSocketAddress) silent.getLocalAddress(), clientLoop, clientKey, client,
                    ConnectionOptions.client().withHandshakeTimeout(ms(200)));
            assertThat(client.awaitClosed().kind()).isEqualTo(Kind.HANDSHAKE_TIMEOUT);
        }
    }
}
