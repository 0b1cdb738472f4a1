package crumbhub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class X25519KeyPairTest {

    /**
     * Documented behaviour for Wycheproof "acceptable" cases: public keys on the twist and
     * non-canonical encodings (u >= p, top bit set) are accepted, as RFC 7748 section 5 asks;
     * low-order keys whose shared secret is all zeros are rejected with CryptoException.
     */
    @Test
    void wycheproofVectorsGiveTheExpectedSharedSecretOrAreRejectedWhenZero() throws Exception {
        int valid = 0, acceptedAcceptable = 0, rejectedZero = 0;
        for (var c : Vectors.wycheproof("x25519_test.json")) {
            var expected = c.hex("shared");
            boolean zero = Arrays.equals(expected, new byte[32]);
            try (var pair = X25519KeyPair.fromPrivate(c.hex("private"))) {
                switch (c.result()) {
                    case "valid" -> {
                        assertThat(pair.dh(c.hex("public"))).as(c.id()).isEqualTo(expected);
                        valid++;
                    }
                    case "acceptable" -> {
                        if (zero) {
                            assertThatThrownBy(() -> pair.dh(c.hex("public"))).as(c.id()).isInstanceOf(CryptoException.class);
                            rejectedZero++;
                        } else {
                            assertThat(pair.dh(c.hex("public"))).as(c.id()).isEqualTo(expected);
                            acceptedAcceptable++;
                        }
                    }
                    default -> assertThatThrownBy(() -> pair.dh(c.hex("public"))).as(c.id()).isInstanceOf(CryptoException.class);
                }
            }
        }
        assertThat(valid).isEqualTo(264);
        assertThat(acceptedAcceptable).isEqualTo(223);
        assertThat(rejectedZero).isEqualTo(31);
    }

    @Test
    void rfc7748ScalarMultiplicationVectors() throws Exception {
        var root = Vectors.json("rfc/rfc7748_x25519.json");
        var tests = Json.array(Json.object(root.get("scalarmult")).get("tests"));
        assertThat(tests).hasSize(2);
        for (var t : tests) {
            var test = Json.object(t);
            try (var pair = X25519KeyPair.fromPrivate(Bytes.fromHex((String) test.get("scalar")))) {
                assertThat(Bytes.hex(pair.dh(Bytes.fromHex((String) test.get("u"))))).isEqualTo(test.get("output"));
            }
        }
    }

    /** The 1,000,000-iteration result is skipped: a million JDK key agreements take several minutes. */
    @Test
    void rfc7748IteratedScalarMultiplicationAfterOneAndOneThousandSteps() throws Exception {
        var iterated = Json.object(Vectors.json("rfc/rfc7748_x25519.json").get("iterated"));
        var k = Bytes.fromHex((String) iterated.get("initial_k"));
        var u = Bytes.fromHex((String) iterated.get("initial_u"));
        int done = 0;
        int checked = 0;
        for (var r : Json.array(iterated.get("results"))) {
            var result = Json.object(r);
            int target = ((BigDecimal) result.get("iterations")).intValueExact();
            if (target > 1000) {
                continue;
            }
            for (; done < target; done++) {
                byte[] next;
                try (var pair = X25519KeyPair.fromPrivate(k)) {
                    next = pair.dh(u);
                }
                u = k;
                k = next;
            }
            assertThat(Bytes.hex(k)).as("after %d iterations", target).isEqualTo(result.get("k"));
            checked++;
        }
        assertThat(checked).isEqualTo(2);
    }

    @Test
    void rfc7748DiffieHellmanGivesBothSidesTheSameSecret() throws Exception {
        var dh = Json.object(Vectors.json("rfc/rfc7748_x25519.json").get("diffie_hellman"));
        try (var alice = X25519KeyPair.fromPrivate(Bytes.fromHex((String) dh.get("alice_private")));
                var bob = X25519KeyPair.fromPrivate(Bytes.fromHex((String) dh.get("bob_private")))) {
            assertThat(Bytes.hex(alice.publicKey())).isEqualTo(dh.get("alice_public"));
            assertThat(Bytes.hex(bob.publicKey())).isEqualTo(dh.get("bob_public"));
            assertThat(Bytes.hex(alice.dh(bob.publicKey()))).isEqualTo(dh.get("shared_secret"));
            assertThat(Bytes.hex(bob.dh(alice.publicKey()))).isEqualTo(dh.get("shared_secret"));
        }
    }

    @Test
    void generateIsDeterministicUnderASeededRandom() {
        try (var a = X25519KeyPair.generate(new FixedRandom(7));
                var b = X25519KeyPair.generate(new FixedRandom(7));
                var c = X25519KeyPair.generate(new FixedRandom(8))) {
            assertThat(a.privateKey()).isEqualTo(b.privateKey());
            assertThat(a.publicKey()).isEqualTo(b.publicKey());
            assertThat(a.publicKey()).isNotEqualTo(c.publicKey());
            var priv = new byte[32];
            new FixedRandom(7).nextBytes(priv);
            assertThat(a.privateKey()).isEqualTo(priv);
        }
    }

    @Test
    void accessorsReturnCopies() {
        try (var pair = X25519KeyPair.generate(new FixedRandom(1))) {
            pair.publicKey()[0] ^= 1;
            pair.privateKey()[0] ^= 1;
            assertThat(pair.publicKey()).isEqualTo(X25519KeyPair.fromPrivate(pair.privateKey()).publicKey());
            assertThat(pair.privateKey()).isEqualTo(X25519KeyPair.generate(new FixedRandom(1)).privateKey());
        }
    }

    @Test
    void toStringDoesNotRevealThePrivateKey() {
        try (var pair = X25519KeyPair.generate(new FixedRandom(3))) {
            assertThat(pair.toString()).doesNotContain(Bytes.hex(pair.privateKey())).contains("redacted");
        }
    }

    @Test
    void closeZeroesAndForbidsFurtherUse() {
        var pair = X25519KeyPair.generate(new FixedRandom(4));
        var other = X25519KeyPair.generate(new FixedRandom(5));
        pair.close();
        assertThatThrownBy(pair::privateKey).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> pair.dh(other.publicKey())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rejectsKeysOfTheWrongLength() {
        assertThatThrownBy(() -> X25519KeyPair.fromPrivate(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        try (var pair = X25519KeyPair.generate(new FixedRandom(6))) {
            assertThatThrownBy(() -> pair.dh(new byte[33])).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void rejectsTheAllZeroPublicKey() {
        try (var pair = X25519KeyPair.generate(new FixedRandom(9))) {
            assertThatThrownBy(() -> pair.dh(new byte[32])).isInstanceOf(CryptoException.class);
        }
    }
}
