package crumbhub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class HkdfTest {
    @Test
    void wycheproofVectorsDeriveTheExpectedKeyOrRejectTheSize() {
        int valid = 0, invalid = 0;
        for (var c : Vectors.wycheproof("hkdf_sha256_test.json")) {
            int size = c.integer("size");
            if (c.result().equals("valid")) {
                assertThat(Hkdf.derive(c.hex("salt"), c.hex("ikm"), c.hex("info"), size)).as(c.id()).isEqualTo(c.hex("okm"));
                var prk = Hkdf.extract(c.hex("salt"), c.hex("ikm"));
                assertThat(Hkdf.expand(prk, c.hex("info"), size)).as(c.id()).isEqualTo(c.hex("okm"));
                valid++;
            } else {
                assertThatThrownBy(() -> Hkdf.derive(c.hex("salt"), c.hex("ikm"), c.hex("info"), size))
                        .as(c.id()).isInstanceOf(IllegalArgumentException.class);
                invalid++;
            }
        }
        assertThat(valid).isEqualTo(83);
        assertThat(invalid).isEqualTo(3);
    }

    @Test
    void rfc5869ExtractAndExpandVectors() {
        var tests = Json.array(Vectors.json("rfc/rfc5869_hkdf_sha256.json").get("tests"));
        assertThat(tests).hasSize(3);
        for (var t : tests) {
            var test = Json.object(t);
            var salt = Bytes.fromHex((String) test.get("salt"));
            var ikm = Bytes.fromHex((String) test.get("ikm"));
            var info = Bytes.fromHex((String) test.get("info"));
            int length = ((BigDecimal) test.get("L")).intValueExact();
            var prk = Hkdf.extract(salt, ikm);
            assertThat(Bytes.hex(prk)).isEqualTo(test.get("prk"));
            assertThat(Bytes.hex(Hkdf.expand(prk, info, length))).isEqualTo(test.get("okm"));
            assertThat(Bytes.hex(Hkdf.derive(salt, ikm, info, length))).isEqualTo(test.get("okm"));
        }
    }

    @Test
    void nullSaltMeansThirtyTwoZeroBytes() {
        var ikm = Bytes.fromHex("0b0b0b");
        assertThat(Hkdf.extract(null, ikm)).isEqualTo(Hkdf.extract(new byte[32], ikm));
        assertThat(Hkdf.derive(null, ikm, null, 40)).isEqualTo(Hkdf.derive(new byte[32], ikm, new byte[0], 40));
    }

    @Test
    void emptyIkmIsAllowedAsNoiseSplitNeedsIt() {
        assertThat(Hkdf.derive(new byte[32], new byte[0], new byte[0], 64)).hasSize(64);
    }

    @Test
    void rejectsOutputLengthsOutsideTheRfcBounds() {
        var prk = new byte[32];
        assertThatThrownBy(() -> Hkdf.expand(prk, null, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hkdf.expand(prk, null, 255 * 32 + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Hkdf.expand(prk, null, 255 * 32)).hasSize(255 * 32);
    }
}
