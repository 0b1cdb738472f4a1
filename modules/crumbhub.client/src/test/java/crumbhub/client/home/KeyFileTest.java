package crumbhub.client.home;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class KeyFileTest {
    private static final int FAST = 1_000;
    private final SecureRandom rng = new SecureRandom();

    private byte[] key() {
        var k = new byte[32];
        rng.nextBytes(k);
        return k;
    }

    @Test
    void plainKeyRoundTrips() {
        var k = key();
        var decoded = KeyFile.decode(new KeyFile.Plain(k).encode(), "store.key");
        assertThat(decoded).isInstanceOf(KeyFile.Plain.class);
        assertThat(((KeyFile.Plain) decoded).key()).isEqualTo(k);
    }

    @Test
    void wrappedKeyOpensOnlyWithItsPassphrase() {
        var k = key();
        var file = KeyFile.Wrapped.wrap(k, "correct horse".toCharArray(), FAST, rng).encode();
        var decoded = (KeyFile.Wrapped) KeyFile.decode(file, "store.key");
        assertThat(decoded.iterations()).isEqualTo(FAST);
        assertThat(decoded.unwrap("correct horse".toCharArray())).isEqualTo(k);
        assertThatThrownBy(() -> decoded.unwrap("correct horsf".toCharArray())).hasMessageContaining("wrong passphrase");
    }

    @Test
    void wrappedFileHeaderIsAuthenticated() {
        var file = KeyFile.Wrapped.wrap(key(), "pw".toCharArray(), FAST, rng).encode();
        file[file.length - 50] ^= 1; // inside the salt
        var decoded = (KeyFile.Wrapped) KeyFile.decode(file, "store.key");
        assertThatThrownBy(() -> decoded.unwrap("pw".toCharArray())).hasMessageContaining("wrong passphrase");
    }

    @Test
    void damagedFilesAreNamed() {
        assertThatThrownBy(() -> KeyFile.decode(new byte[] {1, 2, 3}, "k")).hasMessageContaining("not a CrumbHub store key");
        var plain = new KeyFile.Plain(key()).encode();
        assertThatThrownBy(() -> KeyFile.decode(java.util.Arrays.copyOf(plain, 20), "k")).hasMessageContaining("damaged");
        plain[5] = 7;
        assertThatThrownBy(() -> KeyFile.decode(plain, "k")).hasMessageContaining("unknown protection mode 7");
    }

    @Test
    void absurdIterationCountsAreRefused() {
        var file = KeyFile.Wrapped.wrap(key(), "pw".toCharArray(), FAST, rng).encode();
        file[6] = (byte) 0x7f; // iterations high byte: over a billion
        assertThatThrownBy(() -> KeyFile.decode(file, "k")).hasMessageContaining("damaged");
    }

    @Test
    void toStringIsRedacted() {
        assertThat(new KeyFile.Plain(key()).toString()).contains("redacted");
    }
}
