package crumbhub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AeadTest {
    @Test
    void wycheproofAes256Gcm96BitIv128BitTagVectors() throws Exception {
        int valid = 0, invalid = 0;
        for (var c : Vectors.wycheproof("aes_gcm_test.json")) {
            if (c.groupInt("keySize") != 256 || c.groupInt("ivSize") != 96 || c.groupInt("tagSize") != 128) {
                continue;
            }
            var sealed = Bytes.concat(c.hex("ct"), c.hex("tag"));
            if (c.result().equals("valid")) {
                assertThat(Aead.seal(c.hex("key"), c.hex("iv"), c.hex("aad"), c.hex("msg"))).as(c.id()).isEqualTo(sealed);
                assertThat(Aead.open(c.hex("key"), c.hex("iv"), c.hex("aad"), sealed)).as(c.id()).isEqualTo(c.hex("msg"));
                valid++;
            } else {
                assertThatThrownBy(() -> Aead.open(c.hex("key"), c.hex("iv"), c.hex("aad"), sealed))
                        .as(c.id()).isInstanceOf(CryptoException.class);
                invalid++;
            }
        }
        assertThat(valid).isEqualTo(39);
        assertThat(invalid).isEqualTo(27);
    }

    @Test
    void tamperedCiphertextAdOrShortInputIsRejected() throws Exception {
        var key = new byte[32];
        var nonce = new byte[12];
        var sealed = Aead.seal(key, nonce, "ad".getBytes(), "hello".getBytes());
        assertThat(Aead.open(key, nonce, "ad".getBytes(), sealed)).isEqualTo("hello".getBytes());
        var flipped = sealed.clone();
        flipped[0] ^= 1;
        assertThatThrownBy(() -> Aead.open(key, nonce, "ad".getBytes(), flipped)).isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> Aead.open(key, nonce, "AD".getBytes(), sealed)).isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> Aead.open(key, nonce, null, new byte[15])).isInstanceOf(CryptoException.class);
    }

    @Test
    void rejectsWrongKeyOrNonceLength() {
        assertThatThrownBy(() -> Aead.seal(new byte[16], new byte[12], null, new byte[1])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Aead.seal(new byte[32], new byte[16], null, new byte[1])).isInstanceOf(IllegalArgumentException.class);
    }
}
