package crumbhub.client.home;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.client.ClientException;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class SealedFileTest {
    private final SecureRandom rng = new SecureRandom();
    private final byte[] key = new byte[32];
    private final byte[] plaintext = "session record".getBytes(StandardCharsets.UTF_8);

    SealedFileTest() {
        rng.nextBytes(key);
    }

    @Test
    void opensWhatItSealed() {
        var file = SealedFile.seal(key, "session", plaintext, rng);
        assertThat(file[4]).isEqualTo((byte) 1);
        assertThat(new String(file, StandardCharsets.ISO_8859_1)).startsWith("CHSF").doesNotContain("session record");
        assertThat(SealedFile.open(key, "session", file, "f")).isEqualTo(plaintext);
    }

    @Test
    void everyAlteredByteIsDetected() {
        var file = SealedFile.seal(key, "session", plaintext, rng);
        for (int i = 0; i < file.length; i++) {
            var tampered = file.clone();
            tampered[i] ^= 0x01;
            assertThatThrownBy(() -> SealedFile.open(key, "session", tampered, "f")).as("byte %d", i)
                    .isInstanceOf(ClientException.class)
                    .extracting(e -> ((ClientException) e).kind()).isEqualTo(ClientException.Kind.LOCAL_STORE);
        }
    }

    @Test
    void truncatedFileIsDetected() {
        var file = SealedFile.seal(key, "session", plaintext, rng);
        for (int n = 0; n < file.length; n++) {
            var cut = java.util.Arrays.copyOf(file, n);
            assertThatThrownBy(() -> SealedFile.open(key, "session", cut, "f")).isInstanceOf(ClientException.class);
        }
    }

    @Test
    void aFileCannotPassForAnotherPurpose() {
        var file = SealedFile.seal(key, "session", plaintext, rng);
        assertThatThrownBy(() -> SealedFile.open(key, "device-key", file, "f"))
                .hasMessageContaining("integrity check");
    }

    @Test
    void anotherKeyDoesNotOpenIt() {
        var file = SealedFile.seal(key, "session", plaintext, rng);
        var other = key.clone();
        other[0] ^= 1;
        assertThatThrownBy(() -> SealedFile.open(other, "session", file, "f")).hasMessageContaining("integrity check");
    }

    @Test
    void unknownVersionIsNamed() {
        var file = SealedFile.seal(key, "session", plaintext, rng);
        file[4] = 9;
        assertThatThrownBy(() -> SealedFile.open(key, "session", file, "f")).hasMessageContaining("version 9");
    }

    @Test
    void sealingTwiceUsesFreshNonces() {
        assertThat(SealedFile.seal(key, "s", plaintext, rng)).isNotEqualTo(SealedFile.seal(key, "s", plaintext, rng));
    }
}
