package crumbhub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

class FingerprintTest {
    private static final byte[] KEY = Bytes.fromHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");

    @Test
    void isSha256HexInSixteenGroupsOfFour() throws Exception {
        var fp = Fingerprint.of(KEY);
        assertThat(fp).matches("[0-9a-f]{4}( [0-9a-f]{4}){15}");
        assertThat(fp.replace(" ", "")).isEqualTo(Bytes.hex(MessageDigest.getInstance("SHA-256").digest(KEY)));
    }

    @Test
    void parseAcceptsAnyCaseColonsAndSpaces() throws Exception {
        var fp = Fingerprint.of(KEY);
        var digest = MessageDigest.getInstance("SHA-256").digest(KEY);
        assertThat(Fingerprint.parse(fp)).isEqualTo(digest);
        assertThat(Fingerprint.parse(fp.toUpperCase().replace(' ', ':'))).isEqualTo(digest);
        assertThat(Fingerprint.parse(fp.replace(" ", ""))).isEqualTo(digest);
    }

    @Test
    void parseRejectsWrongLengthOrNonHex() {
        var hex = Fingerprint.of(KEY).replace(" ", "");
        assertThatThrownBy(() -> Fingerprint.parse(hex.substring(2))).isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> Fingerprint.parse(hex + "00")).isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> Fingerprint.parse("g" + hex.substring(1))).isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> Fingerprint.parse(hex.substring(1) + "-")).isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> Fingerprint.parse("")).isInstanceOf(CryptoException.class);
    }

    @Test
    void matchesOnlyTheRightKey() {
        var fp = Fingerprint.of(KEY);
        assertThat(Fingerprint.matches(KEY, fp)).isTrue();
        assertThat(Fingerprint.matches(KEY, fp.toUpperCase())).isTrue();
        var other = KEY.clone();
        other[31] ^= 1;
        assertThat(Fingerprint.matches(other, fp)).isFalse();
        assertThat(Fingerprint.matches(KEY, "not a fingerprint")).isFalse();
    }
}
