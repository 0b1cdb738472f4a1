package crumbhub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PasswordHashTest {

    /**
     * Every Wycheproof vector whose password is valid UTF-8 runs through our PBKDF2 (the JDK's
     * PBKDF2 takes a char[] and feeds its UTF-8 bytes). The 17 vectors flagged NonUtf8 cannot be
     * expressed as a char[] password, so they are skipped and counted. No vector is skipped for
     * its iteration count: the largest (80,000) takes well under a second.
     */
    @Test
    void wycheproofVectorsWithUtf8PasswordsDeriveTheExpectedKey() {
        int checked = 0, nonUtf8 = 0;
        for (var c : Vectors.wycheproof("pbkdf2_hmacsha256_test.json")) {
            assertThat(c.result()).isEqualTo("valid");
            var password = utf8(c.hex("password"));
            @SuppressWarnings("unchecked")
            var flags = (List<Object>) c.test().get("flags");
            if (password == null) {
                assertThat(flags).as(c.id()).contains("NonUtf8");
                nonUtf8++;
                continue;
            }
            var dk = PasswordHash.pbkdf2(password, c.hex("salt"), c.integer("iterationCount"), c.integer("dkLen"));
            assertThat(dk).as(c.id()).isEqualTo(c.hex("dk"));
            checked++;
        }
        assertThat(checked).isEqualTo(43);
        assertThat(nonUtf8).isEqualTo(17);
    }

    @Test
    void rfc7914Vectors() {
        var tests = Json.array(Vectors.json("rfc/rfc7914_pbkdf2_hmac_sha256.json").get("tests"));
        assertThat(tests).hasSize(2);
        for (var t : tests) {
            var test = Json.object(t);
            var dk = PasswordHash.pbkdf2(((String) test.get("password")).toCharArray(),
                    ((String) test.get("salt")).getBytes(StandardCharsets.US_ASCII),
                    ((BigDecimal) test.get("iterations")).intValueExact(),
                    ((BigDecimal) test.get("dkLen")).intValueExact());
            assertThat(Bytes.hex(dk)).isEqualTo(test.get("dk"));
        }
    }

    @Test
    void defaultHashUsesSixHundredThousandIterationsAndVerifies() {
        var hash = PasswordHash.create("correct horse".toCharArray(), new FixedRandom(1));
        assertThat(hash.iterations()).isEqualTo(600_000);
        assertThat(hash.salt()).hasSize(16);
        assertThat(hash.hash()).hasSize(32);
        assertThat(hash.needsRehash()).isFalse();
        assertThat(hash.verify("correct horse".toCharArray())).isTrue();
    }

    @Test
    void verifyRejectsAWrongPassword() {
        var hash = PasswordHash.create("s3cret".toCharArray(), new FixedRandom(2), 1000);
        assertThat(hash.verify("s3cret".toCharArray())).isTrue();
        assertThat(hash.verify("s3creT".toCharArray())).isFalse();
        assertThat(hash.verify(new char[0])).isFalse();
    }

    @Test
    void nonAsciiPasswordsAreHashedAsUtf8() {
        var password = "pässwörd✓";
        var hash = PasswordHash.create(password.toCharArray(), new FixedRandom(3), 1000);
        assertThat(hash.verify(password.toCharArray())).isTrue();
        var salt = hash.salt();
        // Independent PBKDF2 over the UTF-8 bytes, via the JDK's HMAC, must agree.
        assertThat(hash.hash()).isEqualTo(referencePbkdf2(password.getBytes(StandardCharsets.UTF_8), salt, 1000, 32));
    }

    @Test
    void sameSeedGivesSameSaltDifferentSeedsDiffer() {
        var a = PasswordHash.create("pw".toCharArray(), new FixedRandom(4), 1000);
        var b = PasswordHash.create("pw".toCharArray(), new FixedRandom(4), 1000);
        var c = PasswordHash.create("pw".toCharArray(), new FixedRandom(5), 1000);
        assertThat(a).isEqualTo(b);
        assertThat(a.salt()).isNotEqualTo(c.salt());
        assertThat(a.hash()).isNotEqualTo(c.hash());
    }

    @Test
    void encodeDecodeRoundTrip() throws Exception {
        var hash = PasswordHash.create("pw".toCharArray(), new FixedRandom(6), 1234);
        var text = hash.encode();
        assertThat(text).matches("pbkdf2-sha256\\$1234\\$[A-Za-z0-9+/=]{24}\\$[A-Za-z0-9+/=]{44}");
        var decoded = PasswordHash.decode(text);
        assertThat(decoded).isEqualTo(hash);
        assertThat(decoded.verify("pw".toCharArray())).isTrue();
    }

    @Test
    void decodeRejectsMalformedText() {
        var good = PasswordHash.create("pw".toCharArray(), new FixedRandom(7), 1000).encode();
        var parts = good.split("\\$");
        for (var bad : List.of("", "pbkdf2-sha256", "bcrypt$1000$" + parts[2] + "$" + parts[3],
                "pbkdf2-sha256$0$" + parts[2] + "$" + parts[3],
                "pbkdf2-sha256$-5$" + parts[2] + "$" + parts[3],
                "pbkdf2-sha256$999999999$" + parts[2] + "$" + parts[3],
                "pbkdf2-sha256$1000$" + parts[2] + "$" + parts[3] + "$",
                "pbkdf2-sha256$1000$!!!$" + parts[3],
                "pbkdf2-sha256$1000$$" + parts[3],
                "pbkdf2-sha256$1000$" + parts[2] + "$AAAA")) {
            assertThatThrownBy(() -> PasswordHash.decode(bad)).as(bad).isInstanceOf(CryptoException.class);
        }
    }

    @Test
    void needsRehashBelowTheDefault() {
        assertThat(PasswordHash.create("pw".toCharArray(), new FixedRandom(8), 1000).needsRehash()).isTrue();
    }

    @Test
    void toStringIsRedactedAndAccessorsCopy() {
        var hash = PasswordHash.create("pw".toCharArray(), new FixedRandom(9), 1000);
        assertThat(hash.toString()).doesNotContain(Bytes.hex(hash.hash())).doesNotContain(Bytes.hex(hash.salt()));
        hash.hash()[0] ^= 1;
        hash.salt()[0] ^= 1;
        assertThat(hash.verify("pw".toCharArray())).isTrue();
    }

    private static char[] utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString().toCharArray();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** RFC 8018 section 5.2 written out with the JDK's HMAC, to cross-check the char[] encoding. */
    private static byte[] referencePbkdf2(byte[] password, byte[] salt, int iterations, int length) {
        try {
            var mac = javax.crypto.Mac.getInstance(Algorithms.HMAC_SHA256);
            mac.init(new javax.crypto.spec.SecretKeySpec(password, Algorithms.HMAC_SHA256));
            var out = new byte[length];
            for (int block = 1, at = 0; at < length; block++) {
                mac.update(salt);
                var u = mac.doFinal(new byte[] {0, 0, 0, (byte) block});
                var t = u.clone();
                for (int i = 1; i < iterations; i++) {
                    u = mac.doFinal(u);
                    for (int j = 0; j < t.length; j++) {
                        t[j] ^= u[j];
                    }
                }
                int n = Math.min(t.length, length - at);
                System.arraycopy(t, 0, out, at, n);
                at += n;
            }
            return out;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
