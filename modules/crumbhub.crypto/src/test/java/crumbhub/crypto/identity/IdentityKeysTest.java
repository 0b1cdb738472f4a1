package crumbhub.crypto.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.crypto.Bytes;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.FixedRandom;
import crumbhub.crypto.X25519KeyPair;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IdentityKeysTest {
    @Test
    void generationIsDeterministicUnderASeededRng() {
        try (var a = IdentityKeys.generate(new FixedRandom(5)); var b = IdentityKeys.generate(new FixedRandom(5));
             var c = IdentityKeys.generate(new FixedRandom(6))) {
            assertThat(a.publicKey()).isEqualTo(b.publicKey());
            assertThat(a.publicKey().encode()).isEqualTo(b.publicKey().encode());
            assertThat(a.publicKey()).isNotEqualTo(c.publicKey());
            assertThat(a.publicKey().signingKey()).isNotEqualTo(a.publicKey().dhKey());
        }
    }

    @Test
    void privateEncodingRoundTripsToTheSameKeys() throws Exception {
        try (var keys = IdentityKeys.generate(new FixedRandom(9))) {
            var encoded = keys.encodePrivate();
            assertThat(encoded).hasSize(65);
            try (var restored = IdentityKeys.decodePrivate(encoded)) {
                assertThat(restored.publicKey()).isEqualTo(keys.publicKey());
                var msg = "m".getBytes(StandardCharsets.UTF_8);
                assertThat(restored.sign(msg)).isEqualTo(keys.sign(msg));
                try (var peer = X25519KeyPair.generate(new FixedRandom(10))) {
                    assertThat(restored.dh(peer.publicKey())).isEqualTo(keys.dh(peer.publicKey()));
                }
            }
        }
    }

    @Test
    void privateDecodingRejectsWrongVersionAndLength() {
        try (var keys = IdentityKeys.generate(new FixedRandom(9))) {
            var encoded = keys.encodePrivate();
            encoded[0] = 2;
            assertThatThrownBy(() -> IdentityKeys.decodePrivate(encoded)).isInstanceOf(CryptoException.class).hasMessageContaining("version");
            var longer = Bytes.concat(keys.encodePrivate(), new byte[1]);
            assertThatThrownBy(() -> IdentityKeys.decodePrivate(longer)).isInstanceOf(CryptoException.class).hasMessageContaining("trailing");
            assertThatThrownBy(() -> IdentityKeys.decodePrivate(new byte[10])).isInstanceOf(CryptoException.class);
        }
    }

    @Test
    void publicEncodingRoundTripsAndSignaturesVerify() throws Exception {
        try (var keys = IdentityKeys.generate(new FixedRandom(11))) {
            var pub = IdentityPublicKey.decode(keys.publicKey().encode());
            assertThat(pub).isEqualTo(keys.publicKey()).hasSameHashCodeAs(keys.publicKey());
            var msg = "prekey".getBytes(StandardCharsets.UTF_8);
            assertThat(pub.verify(msg, keys.sign(msg))).isTrue();
            assertThat(pub.verify("other".getBytes(StandardCharsets.UTF_8), keys.sign(msg))).isFalse();
        }
    }

    @Test
    void publicKeyWithASwappedDhKeyIsRejected() {
        try (var alice = IdentityKeys.generate(new FixedRandom(12)); var mallory = IdentityKeys.generate(new FixedRandom(13))) {
            var forged = alice.publicKey().encode();
            System.arraycopy(mallory.publicKey().dhKey(), 0, forged, 33, 32);
            assertThatThrownBy(() -> IdentityPublicKey.decode(forged)).isInstanceOf(CryptoException.class).hasMessageContaining("binding");
            var flipped = alice.publicKey().encode();
            flipped[flipped.length - 1] ^= 1;
            assertThatThrownBy(() -> IdentityPublicKey.decode(flipped)).isInstanceOf(CryptoException.class);
        }
    }

    @Test
    void toStringRedactsPrivateKeys() {
        try (var keys = IdentityKeys.generate(new FixedRandom(14))) {
            var priv = keys.encodePrivate();
            assertThat(keys.toString()).contains("redacted")
                    .doesNotContain(Bytes.hex(java.util.Arrays.copyOfRange(priv, 1, 33)))
                    .doesNotContain(Bytes.hex(java.util.Arrays.copyOfRange(priv, 33, 65)));
        }
    }
}
