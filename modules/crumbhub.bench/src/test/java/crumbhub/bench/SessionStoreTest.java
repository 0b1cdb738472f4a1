package crumbhub.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionStoreTest {
    private static final byte[] SERVER_A = new byte[32];
    private static final byte[] SERVER_B = new byte[32];

    static {
        SERVER_B[0] = 1;
    }

    private static SessionStore.Entry entry(String user, int device) {
        return new SessionStore.Entry(user, new byte[] {1, 2, 3}, device, new byte[32],
                device == 0 ? null : new byte[32]);
    }

    @Test
    void entriesSurviveReopeningAndTheLastOneWins(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.state");
        var store = SessionStore.open(file, SERVER_A);
        store.put(entry("bench0", 0));
        store.put(entry("bench1", 7));
        store.put(entry("bench0", 9));
        var again = SessionStore.open(file, SERVER_A);
        assertThat(again.size()).isEqualTo(2);
        assertThat(again.get("bench0").deviceId()).isEqualTo(9);
        assertThat(again.get("bench0").canResume()).isTrue();
        assertThat(again.get("bench1")).isEqualTo(entry("bench1", 7));
        // compacted on open: one line per user after the two header lines
        assertThat(Files.readAllLines(file)).hasSize(4);
    }

    @Test
    void anotherServersStateIsDiscarded(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.state");
        SessionStore.open(file, SERVER_A).put(entry("bench0", 3));
        var other = SessionStore.open(file, SERVER_B);
        assertThat(other.size()).isZero();
        assertThat(other.get("bench0")).isNull();
    }

    @Test
    void fileIsPrivateAndSecretsStayOutOfToString(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.state");
        SessionStore.open(file, SERVER_A);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(entry("bench0", 1).toString()).contains("redacted").doesNotContain("010203");
    }

    @Test
    void aForeignOrDamagedFileIsRefused(@TempDir Path dir) throws Exception {
        Path foreign = Files.writeString(dir.resolve("f"), "hello\nworld\n");
        assertThatThrownBy(() -> SessionStore.open(foreign, SERVER_A)).isInstanceOf(BenchException.class)
                .hasMessageContaining("not a crumbhub-bench state");
        Path file = dir.resolve("s.state");
        SessionStore.open(file, SERVER_A).put(entry("bench0", 3));
        Files.writeString(file, "user bench1 zz 1 00 -\n", java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> SessionStore.open(file, SERVER_A)).isInstanceOf(BenchException.class)
                .hasMessageContaining("line 4");
    }
}
