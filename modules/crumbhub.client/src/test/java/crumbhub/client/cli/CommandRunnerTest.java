package crumbhub.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.home.Home;
import crumbhub.client.home.KeyFile;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandRunnerTest {
    @TempDir
    Path tmp;

    @Test
    void helpPrintsUsageAndExitsZero() {
        var r = new Run(tmp).run("send", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("usage: crumbhub-client send TARGET TEXT...");
        assertThat(new Run(tmp).run("--help").out()).contains("register").contains("room create");
        assertThat(new Run(tmp).run("help", "room").out()).contains("room kick");
    }

    @Test
    void usageErrorIsOneLineAndExitCodeOne() {
        var r = new Run(tmp).run("send", "#r");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("crumbhub-client: send: missing TEXT");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void debugAddsTheStackTrace() {
        var r = new Run(tmp).run("frobnicate", "--debug");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines().count()).isGreaterThan(1);
        assertThat(r.err()).contains("at crumbhub.client");
    }

    @Test
    void verifyNeedsASessionAndAValidName() {
        var r = new Run(tmp).run("verify", "bob");
        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.err()).contains("not logged in");
        var bad = new Run(tmp).run("verify", "no way");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("invalid user name");
    }

    @Test
    void commandsNeedingASessionSayHowToGetOne() {
        var r = new Run(tmp).run("passphrase", "--remove");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("no passphrase to remove");
    }

    @Test
    void passphraseFromTheTerminalMustBeTypedTheSameTwice() {
        var r = new Run(tmp).typing("one", "two").run("passphrase");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("do not match");
        var ok = new Run(tmp).typing("same", "same").run("passphrase");
        assertThat(ok.exit()).as(ok.toString()).isZero();
    }

    @Test
    void passphraseCanBeSetChangedAndRemoved() throws Exception {
        var r = new Run(tmp).env("CRUMBHUB_PASSPHRASE", "first").run("passphrase");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(KeyFile.decode(Files.readAllBytes(tmp.resolve(Home.KEY_FILE)), "k")).isInstanceOf(KeyFile.Wrapped.class);

        var noNew = new Run(tmp).env("CRUMBHUB_PASSPHRASE", "first").run("passphrase");
        assertThat(noNew.exit()).isEqualTo(1);
        assertThat(noNew.err()).contains("CRUMBHUB_NEW_PASSPHRASE");

        var wrong = new Run(tmp).env("CRUMBHUB_PASSPHRASE", "nope").env("CRUMBHUB_NEW_PASSPHRASE", "second")
                .run("passphrase");
        assertThat(wrong.exit()).isEqualTo(4);
        assertThat(wrong.err()).contains("wrong passphrase");

        var changed = new Run(tmp).env("CRUMBHUB_PASSPHRASE", "first").env("CRUMBHUB_NEW_PASSPHRASE", "second")
                .run("passphrase");
        assertThat(changed.exit()).as(changed.toString()).isZero();

        var typed = new Run(tmp).typing("second").run("passphrase", "--remove");
        assertThat(typed.exit()).as(typed.toString()).isZero();
        assertThat(KeyFile.decode(Files.readAllBytes(tmp.resolve(Home.KEY_FILE)), "k")).isInstanceOf(KeyFile.Plain.class);
    }

    @Test
    void protectedStoreWithoutTerminalOrEnvironmentIsALocalStoreError() {
        new Run(tmp).env("CRUMBHUB_PASSPHRASE", "pw").run("passphrase");
        var r = new Run(tmp).run("passphrase", "--remove");
        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.err()).contains("CRUMBHUB_PASSPHRASE");
    }
}
