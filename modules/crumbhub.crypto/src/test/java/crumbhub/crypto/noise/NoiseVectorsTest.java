package crumbhub.crypto.noise;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.crypto.X25519KeyPair;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every 25519/AESGCM/SHA256 vector of both files, through an initiator and a responder. */
class NoiseVectorsTest {
    private static final byte[] NO_AD = new byte[0];

    /** Fails the test if a handshake draws randomness instead of using the vector's ephemeral key. */
    private static final SecureRandom NO_RANDOMNESS = new SecureRandom() {
        private static final long serialVersionUID = 1L;

        @Override
        public void nextBytes(byte[] bytes) {
            throw new AssertionError("a vector handshake must not draw random bytes");
        }
    };

    @Test
    void everySnowVectorReproducesEveryCiphertextAndPayload() throws Exception {
        var vectors = NoiseVectors.snow();
        assertThat(vectors).hasSize(51);
        int transportMessages = 0;
        for (var v : vectors) {
            transportMessages += run(v);
        }
        assertThat(transportMessages).isPositive();
    }

    @Test
    void everyFlynnVectorReproducesEveryCiphertextAndPayload() throws Exception {
        var vectors = NoiseVectors.flynn();
        assertThat(vectors).hasSize(240);
        int transportMessages = 0;
        for (var v : vectors) {
            transportMessages += run(v);
        }
        assertThat(transportMessages).isPositive();
    }

    @Test
    void theVectorFilesTogetherCoverNinetySixProtocolNames() {
        var names = new HashSet<String>();
        NoiseVectors.snow().forEach(v -> names.add(v.protocolName()));
        NoiseVectors.flynn().forEach(v -> names.add(v.protocolName()));
        assertThat(names).hasSize(96);
    }

    /** Runs one vector; returns the number of transport messages checked. */
    private static int run(NoiseVectors.Vector v) throws Exception {
        var pattern = HandshakePattern.byName(v.patternName());
        var initiator = build(pattern, Role.INITIATOR, v.initiator());
        var responder = build(pattern, Role.RESPONDER, v.responder());
        assertThat(initiator.protocolName()).isEqualTo(v.protocolName());
        int handshakeMessages = pattern.messages().size();
        assertThat(v.messages()).as(v.toString()).hasSizeGreaterThan(handshakeMessages);
        for (int i = 0; i < handshakeMessages; i++) {
            var m = v.messages().get(i);
            var sender = i % 2 == 0 ? initiator : responder;
            var receiver = i % 2 == 0 ? responder : initiator;
            assertThat(sender.writeMessage(m.payload())).as("%s message %d", v, i).isEqualTo(m.ciphertext());
            assertThat(receiver.readMessage(m.ciphertext())).as("%s payload %d", v, i).isEqualTo(m.payload());
        }
        assertThat(initiator.isFinished()).isTrue();
        assertThat(responder.isFinished()).isTrue();
        assertThat(initiator.handshakeHash()).as(v.toString()).isEqualTo(responder.handshakeHash());
        expectRemoteStatic(initiator, v.responder());
        expectRemoteStatic(responder, v.initiator());
        var ti = initiator.split();
        var tr = responder.split();
        assertThat(ti.handshakeHash()).isEqualTo(tr.handshakeHash());
        for (int i = handshakeMessages; i < v.messages().size(); i++) {
            var m = v.messages().get(i);
            boolean fromInitiator = switch (v.transport()) {
                case SNOW -> pattern.isOneWay() || i % 2 == 0;
                case FLYNN -> (i - handshakeMessages) % 2 == 0;
            };
            var out = fromInitiator ? ti.send() : tr.send();
            var in = fromInitiator ? tr.receive() : ti.receive();
            assertThat(out.encryptWithAd(NO_AD, m.payload())).as("%s message %d", v, i).isEqualTo(m.ciphertext());
            assertThat(in.decryptWithAd(NO_AD, m.ciphertext())).as("%s payload %d", v, i).isEqualTo(m.payload());
        }
        return v.messages().size() - handshakeMessages;
    }

    private static HandshakeState build(HandshakePattern pattern, Role role, NoiseVectors.Party party) {
        return HandshakeState.builder(pattern, role)
                .prologue(party.prologue())
                .localStatic(party.staticPrivate() == null ? null : X25519KeyPair.fromPrivate(party.staticPrivate()))
                .remoteStatic(party.remoteStatic())
                .psks(List.copyOf(party.psks()))
                .random(NO_RANDOMNESS)
                .ephemeral(X25519KeyPair.fromPrivate(party.ephemeralPrivate()))
                .build();
    }

    private static void expectRemoteStatic(HandshakeState hs, NoiseVectors.Party peer) {
        if (peer.staticPrivate() == null) {
            assertThat(hs.remoteStatic()).isNull();
        } else {
            assertThat(hs.remoteStatic()).isEqualTo(X25519KeyPair.fromPrivate(peer.staticPrivate()).publicKey());
        }
    }
}
