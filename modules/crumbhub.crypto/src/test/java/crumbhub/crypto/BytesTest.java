package crumbhub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BytesTest {
    @Test
    void hexRoundTripsAndAcceptsUpperCase() {
        var bytes = new byte[] {0, 1, (byte) 0xab, (byte) 0xff, 0x7f};
        assertThat(Bytes.hex(bytes)).isEqualTo("0001abff7f");
        assertThat(Bytes.fromHex("0001ABFF7f")).isEqualTo(bytes);
        assertThat(Bytes.fromHex("")).isEmpty();
    }

    @Test
    void fromHexRejectsOddLengthAndNonHex() {
        assertThatThrownBy(() -> Bytes.fromHex("abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Bytes.fromHex("zz")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void zeroClearsEveryArrayAndSkipsNull() {
        var a = new byte[] {1, 2};
        var b = new byte[] {3};
        Bytes.zero(a, null, b);
        assertThat(a).containsOnly(0);
        assertThat(b).containsOnly(0);
    }

    @Test
    void concatAndConstantTimeEquals() {
        assertThat(Bytes.concat(new byte[] {1}, new byte[0], new byte[] {2, 3})).containsExactly(1, 2, 3);
        assertThat(Bytes.constantTimeEquals(new byte[] {1, 2}, new byte[] {1, 2})).isTrue();
        assertThat(Bytes.constantTimeEquals(new byte[] {1, 2}, new byte[] {1, 3})).isFalse();
        assertThat(Bytes.constantTimeEquals(new byte[] {1, 2}, new byte[] {1})).isFalse();
    }
}
