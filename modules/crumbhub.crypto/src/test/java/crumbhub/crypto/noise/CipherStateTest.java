package crumbhub.crypto.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class CipherStateTest {
    private static final byte[] NO_AD = new byte[0];

    @Test
    void rekeyOnBothSidesKeepsTheStreamWorking() throws Exception {
        var t = HandshakeStateTest.finishedXx();
        var send = t[0].send();
        var receive = t[1].receive();
        var before = send.encryptWithAd(NO_AD, "one".getBytes());
        assertThat(receive.decryptWithAd(NO_AD, before)).isEqualTo("one".getBytes());
        send.rekey();
        receive.rekey();
        assertThat(send.nonce()).isEqualTo(1);
        var after = send.encryptWithAd(NO_AD, "two".getBytes());
        assertThat(receive.decryptWithAd(NO_AD, after)).isEqualTo("two".getBytes());
        send.rekey();
        receive.rekey();
        assertThat(receive.decryptWithAd(NO_AD, send.encryptWithAd(NO_AD, "three".getBytes()))).isEqualTo("three".getBytes());
    }

    @Test
    void releasingTheCipherBetweenMessagesChangesNothingOnTheWire() throws Exception {
        var a = HandshakeStateTest.finishedXx();
        var b = HandshakeStateTest.finishedXx();
        byte[] first = a[0].send().encryptWithAd(NO_AD, "one".getBytes());
        a[0].send().release();
        a[0].send().release();
        byte[] second = a[0].send().encryptWithAd(NO_AD, "two".getBytes());
        a[0].send().release();
        a[0].send().rekey();
        byte[] third = a[0].send().encryptWithAd(NO_AD, "three".getBytes());

        var receive = a[1].receive();
        assertThat(receive.decryptWithAd(NO_AD, first)).isEqualTo("one".getBytes());
        receive.release();
        assertThat(receive.decryptWithAd(NO_AD, second)).isEqualTo("two".getBytes());
        receive.rekey();
        receive.release();
        assertThat(receive.decryptWithAd(NO_AD, third)).isEqualTo("three".getBytes());
        // the same handshake (fixed randomness) without releases produces the very same bytes
        var same = b[0].send();
        assertThat(same.encryptWithAd(NO_AD, "one".getBytes())).isEqualTo(first);
        assertThat(same.encryptWithAd(NO_AD, "two".getBytes())).isEqualTo(second);
        same.rekey();
        assertThat(same.encryptWithAd(NO_AD, "three".getBytes())).isEqualTo(third);
    }

    @Test
    void rekeyOnOneSideOnlyBreaksDecryption() throws Exception {
        var t = HandshakeStateTest.finishedXx();
        t[0].send().rekey();
        var message = t[0].send().encryptWithAd(NO_AD, "x".getBytes());
        assertThatThrownBy(() -> t[1].receive().decryptWithAd(NO_AD, message)).isInstanceOf(NoiseException.class);
    }

    @Test
    void nonceTwoToTheSixtyFourMinusOneIsNeverUsed() throws Exception {
        var t = HandshakeStateTest.finishedXx();
        var send = t[0].send();
        var receive = t[1].receive();
        send.setNonce(-2L);
        receive.setNonce(-2L);
        var last = send.encryptWithAd(NO_AD, "last".getBytes());
        assertThat(receive.decryptWithAd(NO_AD, last)).isEqualTo("last".getBytes());
        assertThat(Long.toUnsignedString(send.nonce())).isEqualTo("18446744073709551615");
        assertThatThrownBy(() -> send.encryptWithAd(NO_AD, "more".getBytes())).isInstanceOf(NoiseException.class);
        assertThatThrownBy(() -> send.encrypt(ByteBuffer.allocate(1), ByteBuffer.allocate(17))).isInstanceOf(NoiseException.class);
        assertThatThrownBy(() -> receive.decryptWithAd(NO_AD, last)).isInstanceOf(NoiseException.class);
    }

    @Test
    void byteBufferRoundTripMatchesTheArrayApi() throws Exception {
        var a = HandshakeStateTest.finishedXx();
        var b = HandshakeStateTest.finishedXx();
        var plaintext = "the quick brown fox".getBytes();
        var out = ByteBuffer.allocateDirect(100);
        int written = a[0].send().encrypt(ByteBuffer.wrap(plaintext), out);
        assertThat(written).isEqualTo(plaintext.length + 16);
        out.flip();
        var expected = b[0].send().encryptWithAd(NO_AD, plaintext);
        var actual = new byte[written];
        out.duplicate().get(actual);
        assertThat(actual).isEqualTo(expected);
        var decrypted = ByteBuffer.allocate(100);
        assertThat(a[1].receive().decrypt(out, decrypted)).isEqualTo(plaintext.length);
        assertThat(out.hasRemaining()).isFalse();
        assertThat(java.util.Arrays.copyOf(decrypted.array(), decrypted.position())).isEqualTo(plaintext);
    }

    @Test
    void byteBufferEncryptAndDecryptWorkInPlace() throws Exception {
        var t = HandshakeStateTest.finishedXx();
        var buffer = ByteBuffer.allocate(64);
        buffer.put("in place".getBytes()).flip();
        var view = buffer.duplicate();
        view.clear();
        int n = t[0].send().encrypt(buffer, view);
        var ciphertext = buffer.duplicate().clear().limit(n);
        var plain = buffer.duplicate().clear();
        int m = t[1].receive().decrypt(ciphertext, plain);
        assertThat(new String(buffer.array(), 0, m)).isEqualTo("in place");
    }

    @Test
    void failedByteBufferDecryptLeavesNonceAndPositionsUnchanged() throws Exception {
        var t = HandshakeStateTest.finishedXx();
        var ciphertext = ByteBuffer.wrap(t[0].send().encryptWithAd(NO_AD, "hello".getBytes()));
        ciphertext.put(0, (byte) (ciphertext.get(0) ^ 1));
        var out = ByteBuffer.allocate(32);
        var receive = t[1].receive();
        assertThatThrownBy(() -> receive.decrypt(ciphertext, out)).isInstanceOf(NoiseException.class);
        assertThat(receive.nonce()).isZero();
        assertThat(ciphertext.position()).isZero();
        assertThat(out.position()).isZero();
        ciphertext.put(0, (byte) (ciphertext.get(0) ^ 1));
        assertThat(receive.decrypt(ciphertext, out)).isEqualTo(5);
    }

    @Test
    void outputBuffersThatAreTooSmallAreRefusedBeforeUsingANonce() throws Exception {
        var t = HandshakeStateTest.finishedXx();
        var send = t[0].send();
        assertThatThrownBy(() -> send.encrypt(ByteBuffer.allocate(10), ByteBuffer.allocate(25)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(send.nonce()).isZero();
        assertThatThrownBy(() -> send.encryptWithAd(NO_AD, new byte[65_520])).isInstanceOf(IllegalArgumentException.class);
        assertThat(send.encryptWithAd(NO_AD, new byte[65_519])).hasSize(65_535);
    }

    @Test
    void closedTransportRefusesToEncrypt() {
        var t = assertThatNoException();
        t[0].close();
        assertThatThrownBy(() -> t[0].send().encryptWithAd(NO_AD, new byte[1])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> t[0].receive().decryptWithAd(NO_AD, new byte[17])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void toStringRedactsTheKey() {
        var t = assertThatNoException();
        assertThat(t[0].send().toString()).contains("redacted").contains("n=0");
    }

    private static TransportState[] assertThatNoException() {
        try {
            return HandshakeStateTest.finishedXx();
        } catch (NoiseException e) {
            throw new AssertionError(e);
        }
    }
}
