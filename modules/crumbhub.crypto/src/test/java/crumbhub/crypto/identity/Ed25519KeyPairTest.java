package crumbhub.crypto.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.crypto.Bytes;
import crumbhub.crypto.FixedRandom;
import crumbhub.crypto.Json;
import crumbhub.crypto.Vectors;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Ed25519KeyPairTest {
    @Test
    void rfc8032VectorsGiveThePublicKeyAndSignature() {
        var root = Vectors.json("rfc/rfc8032_ed25519.json");
        int checked = 0;
        for (var t : Json.array(root.get("tests"))) {
            Map<String, Object> test = Json.object(t);
            var seed = Bytes.fromHex((String) test.get("secret_key"));
            var expectedPublic = Bytes.fromHex((String) test.get("public_key"));
            var message = Bytes.fromHex((String) test.get("message"));
            var expectedSig = Bytes.fromHex((String) test.get("signature"));
            try (var pair = Ed25519KeyPair.fromPrivate(seed)) {
                assertThat(pair.publicKey()).as((String) test.get("id")).isEqualTo(expectedPublic);
                assertThat(pair.sign(message)).as((String) test.get("id")).isEqualTo(expectedSig);
                assertThat(Ed25519KeyPair.verify(expectedPublic, message, expectedSig)).isTrue();
            }
            checked++;
        }
        assertThat(checked).isEqualTo(5);
    }

    @Test
    void wycheproofVerificationOutcomesMatch() {
        int checked = 0;
        for (var c : Vectors.wycheproof("ed25519_test.json")) {
            var pk = Bytes.fromHex((String) Json.object(c.group().get("publicKey")).get("pk"));
            boolean ok = Ed25519KeyPair.verify(pk, c.hex("msg"), c.hex("sig"));
            assertThat(ok).as(c.id()).isEqualTo(c.result().equals("valid"));
            checked++;
        }
        assertThat(checked).isEqualTo(151);
    }

    @Test
    void generationIsDeterministicUnderASeededRng() {
        try (var a = Ed25519KeyPair.generate(new FixedRandom(7)); var b = Ed25519KeyPair.generate(new FixedRandom(7));
             var c = Ed25519KeyPair.generate(new FixedRandom(8))) {
            assertThat(a.publicKey()).isEqualTo(b.publicKey());
            assertThat(a.privateKey()).isEqualTo(b.privateKey());
            assertThat(a.publicKey()).isNotEqualTo(c.publicKey());
        }
    }

    @Test
    void verifyRejectsAnotherMessageOrKeyAndMalformedInput() {
        var msg = "hello".getBytes(StandardCharsets.UTF_8);
        try (var a = Ed25519KeyPair.generate(new FixedRandom(1)); var b = Ed25519KeyPair.generate(new FixedRandom(2))) {
            var sig = a.sign(msg);
            assertThat(Ed25519KeyPair.verify(a.publicKey(), msg, sig)).isTrue();
            assertThat(Ed25519KeyPair.verify(b.publicKey(), msg, sig)).isFalse();
            assertThat(Ed25519KeyPair.verify(a.publicKey(), "hellO".getBytes(StandardCharsets.UTF_8), sig)).isFalse();
            assertThat(Ed25519KeyPair.verify(a.publicKey(), msg, new byte[63])).isFalse();
            assertThat(Ed25519KeyPair.verify(new byte[31], msg, sig)).isFalse();
            assertThat(Ed25519KeyPair.verify(null, msg, sig)).isFalse();
        }
    }

    @Test
    void closeZeroesThePrivateKeyAndStopsSigning() {
        var pair = Ed25519KeyPair.generate(new FixedRandom(3));
        assertThat(pair.toString()).contains("redacted").doesNotContain(Bytes.hex(pair.privateKey()));
        pair.close();
        assertThatThrownBy(() -> pair.sign(new byte[1])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(pair::privateKey).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void fromPrivateRejectsWrongLength() {
        assertThatThrownBy(() -> Ed25519KeyPair.fromPrivate(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }
}
