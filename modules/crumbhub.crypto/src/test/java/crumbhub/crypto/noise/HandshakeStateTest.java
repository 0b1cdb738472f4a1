package crumbhub.crypto.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.crypto.FixedRandom;
import crumbhub.crypto.X25519KeyPair;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandshakeStateTest {
    private static final byte[] PROLOGUE = "CrumbHub/1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NO_AD = new byte[0];

    private final FixedRandom rng = new FixedRandom(42);
    private final X25519KeyPair clientKey = X25519KeyPair.generate(rng);
    private final X25519KeyPair serverKey = X25519KeyPair.generate(rng);

    private HandshakeState client() {
        return HandshakeState.initiator(HandshakePattern.XX, PROLOGUE, clientKey, null, List.of(), rng);
    }

    private HandshakeState server() {
        return HandshakeState.responder(HandshakePattern.XX, PROLOGUE, serverKey, null, List.of(), rng);
    }

    @Test
    void xxRoundTripAuthenticatesBothStaticKeysAndAgreesOnTheHash() throws Exception {
        var client = client();
        var server = server();
        assertThat(server.readMessage(client.writeMessage("hello".getBytes()))).isEqualTo("hello".getBytes());
        assertThat(client.readMessage(server.writeMessage("server".getBytes()))).isEqualTo("server".getBytes());
        assertThat(server.readMessage(client.writeMessage("client".getBytes()))).isEqualTo("client".getBytes());
        assertThat(client.isFinished()).isTrue();
        assertThat(server.isFinished()).isTrue();
        assertThat(client.remoteStatic()).isEqualTo(serverKey.publicKey());
        assertThat(server.remoteStatic()).isEqualTo(clientKey.publicKey());
        assertThat(client.handshakeHash()).isEqualTo(server.handshakeHash()).hasSize(32);

        var c = client.split();
        var s = server.split();
        assertThat(c.handshakeHash()).isEqualTo(s.handshakeHash());
        assertThat(c.remoteStatic()).isEqualTo(serverKey.publicKey());
        assertThat(s.remoteStatic()).isEqualTo(clientKey.publicKey());
        for (int i = 0; i < 5; i++) {
            var up = ("up " + i).getBytes();
            var down = ("down " + i).getBytes();
            assertThat(s.receive().decryptWithAd(NO_AD, c.send().encryptWithAd(NO_AD, up))).isEqualTo(up);
            assertThat(c.receive().decryptWithAd(NO_AD, s.send().encryptWithAd(NO_AD, down))).isEqualTo(down);
        }
        assertThat(c.send().nonce()).isEqualTo(5);
    }

    @Test
    void differentProloguesMakeTheHandshakeFail() throws Exception {
        var client = client();
        var server = HandshakeState.responder(HandshakePattern.XX, "Other/1".getBytes(), serverKey, null, List.of(), rng);
        server.readMessage(client.writeMessage(new byte[0]));
        var message2 = server.writeMessage(new byte[0]);
        assertThatThrownBy(() -> client.readMessage(message2)).isInstanceOf(NoiseException.class);
    }

    @Test
    void tamperedHandshakeMessageIsRejectedWithoutAdvancingState() throws Exception {
        var client = client();
        var server = server();
        server.readMessage(client.writeMessage(new byte[0]));
        var genuine = server.writeMessage("payload".getBytes());
        var hashBefore = client.handshakeHash();
        for (int position : new int[] {0, 40, genuine.length - 1}) {
            var forged = genuine.clone();
            forged[position] ^= 0x01;
            assertThatThrownBy(() -> client.readMessage(forged)).isInstanceOf(NoiseException.class);
            assertThat(client.handshakeHash()).isEqualTo(hashBefore);
            assertThat(client.remoteStatic()).isNull();
        }
        assertThatThrownBy(() -> client.readMessage(java.util.Arrays.copyOf(genuine, 40))).isInstanceOf(NoiseException.class);
        assertThat(client.readMessage(genuine)).isEqualTo("payload".getBytes());
        server.readMessage(client.writeMessage(new byte[0]));
        assertThat(client.handshakeHash()).isEqualTo(server.handshakeHash());
    }

    @Test
    void tamperedTransportMessageIsRejectedWithoutAdvancingTheNonce() throws Exception {
        var pair = finishedXx();
        var genuine = pair[0].send().encryptWithAd(NO_AD, "secret".getBytes());
        var forged = genuine.clone();
        forged[3] ^= 0x40;
        var receive = pair[1].receive();
        assertThatThrownBy(() -> receive.decryptWithAd(NO_AD, forged)).isInstanceOf(NoiseException.class);
        assertThatThrownBy(() -> receive.decryptWithAd(NO_AD, new byte[15])).isInstanceOf(NoiseException.class);
        assertThat(receive.nonce()).isZero();
        assertThat(receive.decryptWithAd(NO_AD, genuine)).isEqualTo("secret".getBytes());
    }

    @Test
    void messagesOutOfTurnAreRefused() throws Exception {
        var client = client();
        var server = server();
        assertThatThrownBy(() -> client.readMessage(new byte[32])).isInstanceOf(NoiseException.class);
        assertThatThrownBy(() -> server.writeMessage(new byte[0])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(client::split).isInstanceOf(IllegalStateException.class);
        server.readMessage(client.writeMessage(new byte[0]));
        assertThatThrownBy(() -> client.writeMessage(new byte[0])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> server.readMessage(new byte[48])).isInstanceOf(NoiseException.class);
    }

    @Test
    void finishedHandshakeIsUnusableAfterSplit() throws Exception {
        var client = client();
        var server = server();
        server.readMessage(client.writeMessage(new byte[0]));
        client.readMessage(server.writeMessage(new byte[0]));
        server.readMessage(client.writeMessage(new byte[0]));
        assertThatThrownBy(() -> client.writeMessage(new byte[0])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> server.readMessage(new byte[64])).isInstanceOf(IllegalStateException.class);
        var hash = client.handshakeHash();
        client.split();
        assertThatThrownBy(client::split).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> client.writeMessage(new byte[0])).isInstanceOf(IllegalStateException.class);
        assertThat(client.isFinished()).isTrue();
        assertThat(client.handshakeHash()).isEqualTo(hash);
        assertThat(client.remoteStatic()).isEqualTo(serverKey.publicKey());
    }

    @Test
    void lowOrderEphemeralIsRejectedOnReadWithRollback() throws Exception {
        var initiator = HandshakeState.initiator(HandshakePattern.NK, null, null, serverKey.publicKey(), List.of(), rng);
        var responder = HandshakeState.responder(HandshakePattern.NK, null, serverKey, null, List.of(), rng);
        var genuine = initiator.writeMessage(new byte[0]);
        var lowOrder = genuine.clone();
        java.util.Arrays.fill(lowOrder, 0, 32, (byte) 0);
        assertThatThrownBy(() -> responder.readMessage(lowOrder)).isInstanceOf(NoiseException.class);
        responder.readMessage(genuine);
        initiator.readMessage(responder.writeMessage(new byte[0]));
        assertThat(initiator.handshakeHash()).isEqualTo(responder.handshakeHash());
    }

    @Test
    void lowOrderEphemeralAbortsTheHandshakeWhenWriting() throws Exception {
        var responder = server();
        responder.readMessage(new byte[32]);
        assertThatThrownBy(() -> responder.writeMessage(new byte[0])).isInstanceOf(NoiseException.class);
        assertThatThrownBy(() -> responder.writeMessage(new byte[0])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void oversizedMessagesAreRefused() throws Exception {
        var client = client();
        assertThatThrownBy(() -> client.writeMessage(new byte[65_535 - 31])).isInstanceOf(IllegalArgumentException.class);
        assertThat(client.writeMessage(new byte[65_535 - 32])).hasSize(65_535);
        var server = server();
        assertThatThrownBy(() -> server.readMessage(new byte[65_536])).isInstanceOf(NoiseException.class);
    }

    @Test
    void keysMustFitThePattern() {
        assertThatThrownBy(() -> HandshakeState.initiator(HandshakePattern.XX, null, null, null, List.of(), rng))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HandshakeState.initiator(HandshakePattern.NN, null, clientKey, null, List.of(), rng))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HandshakeState.initiator(HandshakePattern.IK, null, clientKey, null, List.of(), rng))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HandshakeState.initiator(HandshakePattern.XX, null, clientKey, serverKey.publicKey(), List.of(), rng))
                .isInstanceOf(IllegalArgumentException.class);
        var psk = HandshakePattern.byName("XXpsk3");
        assertThatThrownBy(() -> HandshakeState.initiator(psk, null, clientKey, null, List.of(), rng))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HandshakeState.initiator(psk, null, clientKey, null, List.of(new byte[16]), rng))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pskHandshakeNeedsTheSamePreSharedKey() throws Exception {
        var pattern = HandshakePattern.byName("NNpsk0");
        var initiator = HandshakeState.initiator(pattern, null, null, null, List.of(new byte[32]), rng);
        var other = new byte[32];
        other[0] = 1;
        var responder = HandshakeState.responder(pattern, null, null, null, List.of(other), rng);
        var message = initiator.writeMessage("x".getBytes());
        assertThatThrownBy(() -> responder.readMessage(message)).isInstanceOf(NoiseException.class);
    }

    @Test
    void toStringRevealsNoKeys() throws Exception {
        var client = client();
        client.writeMessage(new byte[0]);
        assertThat(client.toString()).contains("Noise_XX_25519_AESGCM_SHA256").doesNotContain(crumbhub.crypto.Bytes.hex(clientKey.privateKey()));
    }

    static TransportState[] finishedXx() throws NoiseException {
        var rng = new FixedRandom(7);
        var client = HandshakeState.initiator(HandshakePattern.XX, PROLOGUE, X25519KeyPair.generate(rng), null, List.of(), rng);
        var server = HandshakeState.responder(HandshakePattern.XX, PROLOGUE, X25519KeyPair.generate(rng), null, List.of(), rng);
        server.readMessage(client.writeMessage(new byte[0]));
        client.readMessage(server.writeMessage(new byte[0]));
        server.readMessage(client.writeMessage(new byte[0]));
        return new TransportState[] {client.split(), server.split()};
    }
}
