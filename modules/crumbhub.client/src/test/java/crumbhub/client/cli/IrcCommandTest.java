package crumbhub.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code crumbhub-client irc}'s options: refused before anything is opened, each with one line. */
class IrcCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aNonLoopbackAddressWithoutAPasswordFileIsRefused() {
        var r = new Run(tmp.resolve("home")).run("irc", "--listen", "0.0.0.0:0");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).contains("not a loopback address").contains("--password-file").doesNotContain("\n");
    }

    @Test
    void aPasswordFileReadableByOthersAndBadValuesAreRefused() throws Exception {
        Path file = tmp.resolve("pw");
        Files.writeString(file, "secret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        var home = new Run(tmp.resolve("home"));
        var r = home.run("irc", "--listen", "0.0.0.0:0", "--password-file", file.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("chmod 600");
        assertThat(home.run("irc", "--history", "5000").err()).contains("--history needs a whole number from 0 to 500");
        assertThat(home.run("irc", "--listen", "localhost").err()).contains("HOST:PORT");
    }

    @Test
    void theGatewayNeedsALoggedInAccount() {
        var r = new Run(tmp.resolve("nobody")).run("irc", "--listen", "127.0.0.1:0");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).doesNotContain("Exception");
    }
}
