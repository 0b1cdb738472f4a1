package crumbhub.client.home;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.client.ClientException;
import crumbhub.client.net.ServerAddress;
import crumbhub.crypto.Fingerprint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownServersTest {
    private static final ServerAddress SERVER = ServerAddress.parse("chat.example.org:5555");
    @TempDir
    Path tmp;
    private final SecureRandom rng = new SecureRandom();

    private byte[] key() {
        var k = new byte[32];
        rng.nextBytes(k);
        return k;
    }

    private Path file() {
        return tmp.resolve(KnownServers.FILE_NAME);
    }

    @Test
    void firstContactIsPinnedAndThenAccepted() throws Exception {
        var key = key();
        var known = KnownServers.load(file());
        assertThat(known.check(SERVER, key, Optional.empty())).isTrue();
        known.pin(SERVER, key);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
        assertThat(Files.readString(file())).contains("chat.example.org:5555 " + Fingerprint.of(key));
        var reloaded = KnownServers.load(file());
        assertThat(reloaded.check(SERVER, key, Optional.empty())).isFalse();
        assertThat(reloaded.check(ServerAddress.parse("chat.example.org:5556"), key(), Optional.empty())).isTrue();
    }

    @Test
    void changedKeyIsAHardErrorNamingBothFingerprintsAndTheFile() {
        var old = key();
        var changed = key();
        KnownServers.load(file()).pin(SERVER, old);
        assertThatThrownBy(() -> KnownServers.load(file()).check(SERVER, changed, Optional.empty()))
                .isInstanceOf(ClientException.class)
                .extracting(e -> ((ClientException) e).kind()).isEqualTo(ClientException.Kind.IDENTITY);
        assertThatThrownBy(() -> KnownServers.load(file()).check(SERVER, changed, Optional.of(Fingerprint.of(changed))))
                .hasMessageContaining("CHANGED")
                .hasMessageContaining(Fingerprint.of(old))
                .hasMessageContaining(Fingerprint.of(changed))
                .hasMessageContaining(file().toString());
    }

    @Test
    void expectedFingerprintMakesFirstContactStrict() {
        var key = key();
        var known = KnownServers.load(file());
        String compact = Fingerprint.of(key).replace(" ", "").toUpperCase();
        assertThat(known.check(SERVER, key, Optional.of(compact))).isTrue();
        var other = key();
        assertThatThrownBy(() -> known.check(SERVER, other, Optional.of(compact)))
                .hasMessageContaining("not the expected " + Fingerprint.of(key))
                .hasMessageContaining(Fingerprint.of(other));
    }

    @Test
    void userLinesAndCommentsAreKept() throws Exception {
        var a = key();
        Files.writeString(file(), "# mine\n\nother.org:1 " + Fingerprint.of(a) + "\n");
        KnownServers.load(file()).pin(SERVER, key());
        assertThat(Files.readString(file())).startsWith("# mine\n\nother.org:1 ");
        assertThat(KnownServers.load(file()).pinned(ServerAddress.parse("other.org:1"))).isPresent();
    }

    @Test
    void malformedLineIsReportedWithItsNumber() throws Exception {
        Files.writeString(file(), "# c\nchat.example.org:5555 nothex\n");
        assertThatThrownBy(() -> KnownServers.load(file())).hasMessageContaining("line 2");
        Files.writeString(file(), "a:1 " + Fingerprint.of(key()) + "\nA:1 " + Fingerprint.of(key()) + "\n");
        assertThatThrownBy(() -> KnownServers.load(file())).hasMessageContaining("line 2").hasMessageContaining("second time");
    }
}
