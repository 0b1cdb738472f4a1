package crumbhub.crypto.pqxdh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import crumbhub.crypto.Algorithms;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.FixedRandom;
import crumbhub.crypto.Vectors;
import crumbhub.crypto.e2ee.ProvidedBytes;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import javax.crypto.DecapsulateException;
import javax.crypto.KEM;
import org.junit.jupiter.api.Test;

/**
 * Shows, with the Wycheproof ML-KEM-768 vectors (which fold in FIPS 203 / CCTV vectors), that the
 * JDK's ML-KEM behaves as FIPS 203 through the API CrumbHub uses.
 *
 * <p>What the API cannot show: KeyGen and Encaps take their randomness only through a
 * {@code SecureRandom}, so the vectors' {@code d || z} and {@code m} are fed in as the exact bytes
 * the provider draws (that the provider draws exactly these, in this order, is itself checked).
 * Decapsulation from a seed goes through KeyGen; decapsulation from an expanded {@code dk} uses the
 * key factory's RAW format. The internal functions (K-PKE, the implicit-rejection key
 * {@code J(z || c)}) are not reachable separately, only through their results.
 */
class MlKemWycheproofTest {
    @Test
    void keyGenerationFromSeedMatchesFips203() throws Exception {
        int checked = 0;
        for (var c : Vectors.wycheproof("mlkem_768_keygen_seed_test.json")) {
            try (var pair = MlKemKeyPair.fromSeed(c.hex("seed"))) {
                assertThat(pair.publicKey()).as(c.id()).isEqualTo(c.hex("ek"));
                assertThat(pair.expandedPrivateKey()).as(c.id()).isEqualTo(c.hex("dk"));
            }
            checked++;
        }
        assertThat(checked).isEqualTo(100);
    }

    @Test
    void encapsulationWithFixedMessageMatchesAndBadKeysAreRejected() {
        int valid = 0;
        int invalid = 0;
        for (var c : Vectors.wycheproof("mlkem_768_encaps_test.json")) {
            var m = ProvidedBytes.of(c.hex("m"));
            if (c.result().equals("valid")) {
                var result = catchThrowable(() -> {
                    var e = MlKemKeyPair.encapsulate(c.hex("ek"), m);
                    assertThat(e.ciphertext()).as(c.id()).isEqualTo(c.hex("c"));
                    assertThat(e.sharedSecret()).as(c.id()).isEqualTo(c.hex("K"));
                });
                assertThat(result).as(c.id()).isNull();
                assertThat(m.exhausted()).as(c.id()).isTrue();
                valid++;
            } else {
                assertThatThrownBy(() -> MlKemKeyPair.encapsulate(c.hex("ek"), m)).as(c.id()).isInstanceOf(CryptoException.class);
                invalid++;
            }
        }
        assertThat(valid).isEqualTo(133);
        assertThat(invalid).isEqualTo(132);
    }

    @Test
    void decapsulationFromSeedMatchesIncludingImplicitRejection() throws Exception {
        int valid = 0;
        int invalid = 0;
        for (var c : Vectors.wycheproof("mlkem_768_test.json")) {
            var seed = c.hex("seed");
            var ct = c.hex("c");
            if (c.result().equals("valid")) {
                try (var pair = MlKemKeyPair.fromSeed(seed)) {
                    assertThat(pair.publicKey()).as(c.id()).isEqualTo(c.hex("ek"));
                    assertThat(pair.decapsulate(ct)).as(c.id()).isEqualTo(c.hex("K"));
                }
                valid++;
            } else if (seed.length != MlKemKeyPair.SEED_LENGTH) {
                assertThatThrownBy(() -> MlKemKeyPair.fromSeed(seed)).as(c.id()).isInstanceOf(IllegalArgumentException.class);
                invalid++;
            } else {
                try (var pair = MlKemKeyPair.fromSeed(seed)) {
                    assertThatThrownBy(() -> pair.decapsulate(ct)).as(c.id()).isInstanceOf(CryptoException.class);
                }
                invalid++;
            }
        }
        assertThat(valid).isEqualTo(153);
        assertThat(invalid).isEqualTo(40);
    }

    @Test
    void decapsulationWithExpandedKeyChecksTheKeyAndCiphertextLength() throws Exception {
        int checked = 0;
        var factory = KeyFactory.getInstance(Algorithms.ML_KEM_768);
        for (var c : Vectors.wycheproof("mlkem_768_semi_expanded_decaps_test.json")) {
            PrivateKey dk = importExpanded(factory, c.hex("dk"));
            var kem = KEM.getInstance(Algorithms.ML_KEM);
            if (c.result().equals("valid")) {
                var k = kem.newDecapsulator(dk).decapsulate(c.hex("c")).getEncoded();
                assertThat(k).as(c.id()).isEqualTo(c.hex("K"));
            } else if (c.test().get("flags").toString().contains("IncorrectCiphertextLength")) {
                var decapsulator = kem.newDecapsulator(dk);
                assertThatThrownBy(() -> decapsulator.decapsulate(c.hex("c"))).as(c.id()).isInstanceOf(DecapsulateException.class);
            } else {
                assertThatThrownBy(() -> kem.newDecapsulator(dk)).as(c.id()).isInstanceOf(InvalidKeyException.class);
            }
            checked++;
        }
        assertThat(checked).isEqualTo(9);
    }

    /**
     * JDK 25.0.3's key factory zeroes the key array of a private key it builds from a RAW spec
     * (NamedKeyFactory fills the bytes it handed to NamedPKCS8Key, which keeps them without a copy),
     * so such a key fails its own hash check. Its PKCS#8 encoding was copied before the zeroing, so
     * a second import from that encoding gives a sound key. Production code never imports an
     * expanded key: it regenerates keys from their seeds.
     */
    private static PrivateKey importExpanded(KeyFactory factory, byte[] dk) throws Exception {
        var broken = factory.generatePrivate(new MlKemKeyPair.RawKeySpec(dk));
        return factory.generatePrivate(new PKCS8EncodedKeySpec(broken.getEncoded()));
    }

    @Test
    void rawPrivateKeyImportIsBrokenInThisJdkSoItIsNotUsed() throws Exception {
        try (var pair = MlKemKeyPair.generate(new FixedRandom(5))) {
            var factory = KeyFactory.getInstance(Algorithms.ML_KEM_768);
            var raw = factory.generatePrivate(new MlKemKeyPair.RawKeySpec(pair.expandedPrivateKey()));
            // If this starts failing, the JDK fixed the bug and importExpanded can take the RAW key directly.
            assertThatThrownBy(() -> KEM.getInstance(Algorithms.ML_KEM).newDecapsulator(raw)).isInstanceOf(InvalidKeyException.class);
            var e = MlKemKeyPair.encapsulate(pair.publicKey(), new FixedRandom(6));
            var repaired = importExpanded(factory, pair.expandedPrivateKey());
            assertThat(KEM.getInstance(Algorithms.ML_KEM).newDecapsulator(repaired).decapsulate(e.ciphertext()).getEncoded())
                    .isEqualTo(e.sharedSecret());
        }
    }

    @Test
    void generationAndEncapsulationAreDeterministicUnderASeededRng() throws Exception {
        try (var a = MlKemKeyPair.generate(new FixedRandom(1)); var b = MlKemKeyPair.generate(new FixedRandom(1))) {
            assertThat(a.publicKey()).isEqualTo(b.publicKey());
            var e1 = MlKemKeyPair.encapsulate(a.publicKey(), new FixedRandom(2));
            var e2 = MlKemKeyPair.encapsulate(a.publicKey(), new FixedRandom(2));
            assertThat(e1.ciphertext()).isEqualTo(e2.ciphertext());
            assertThat(e1.sharedSecret()).isEqualTo(e2.sharedSecret()).isEqualTo(b.decapsulate(e1.ciphertext()));
        }
    }

    @Test
    void seedRoundTripRestoresTheSameKey() throws Exception {
        try (var a = MlKemKeyPair.generate(new FixedRandom(3)); var b = MlKemKeyPair.fromSeed(a.seed())) {
            assertThat(b.publicKey()).isEqualTo(a.publicKey());
            var e = MlKemKeyPair.encapsulate(a.publicKey(), new FixedRandom(4));
            assertThat(b.decapsulate(e.ciphertext())).isEqualTo(e.sharedSecret());
            assertThat(a.toString()).contains("redacted");
        }
    }
}
