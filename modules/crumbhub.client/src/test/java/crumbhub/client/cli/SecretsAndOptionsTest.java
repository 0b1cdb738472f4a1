package crumbhub.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsAndOptionsTest {
    private static Io io(byte[] stdin, Map<String, String> env, String... typed) {
        var lines = new ArrayDeque<>(List.of(typed));
        return new Io(new ByteArrayInputStream(stdin), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()), env,
                prompt -> lines.isEmpty() ? null : lines.poll().toCharArray(), Clock.systemUTC(), ZoneOffset.UTC);
    }

    private static Io stdin(String text) {
        return io(text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    @Test
    void passwordFromStdinIsTheFirstLineWithoutItsTerminator() {
        assertThat(Secrets.password(stdin("pä ss wörd\r\nsecond line\n"), true, true))
                .isEqualTo("pä ss wörd".getBytes(StandardCharsets.UTF_8));
        assertThat(Secrets.password(stdin("no newline"), true, false)).isEqualTo("no newline".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void badPasswordsOnStdinAreUsageErrors() {
        assertThatThrownBy(() -> Secrets.password(stdin("\n"), true, false)).hasMessageContaining("empty");
        assertThatThrownBy(() -> Secrets.password(stdin("x".repeat(256) + "\n"), true, false))
                .hasMessageContaining("longer than 255 bytes");
        assertThatThrownBy(() -> Secrets.password(io(new byte[] {(byte) 0xff, '\n'}, Map.of()), true, false))
                .hasMessageContaining("not valid UTF-8");
        assertThat(Secrets.password(stdin("x".repeat(255)), true, false)).hasSize(255);
    }

    @Test
    void aNewPasswordShorterThanTheMinimumIsRefusedBeforeSending() {
        assertThatThrownBy(() -> Secrets.password(stdin("ä✓7chrs\n"), true, true))
                .hasMessage("the password is shorter than 8 characters; choose a longer one");
        assertThat(Secrets.password(stdin("ä✓8chars\n"), true, true)).hasSize(11);
        assertThat(Secrets.password(stdin("short\n"), true, false)).as("logging in with an old short password")
                .hasSize(5);
    }

    @Test
    void passwordFromTheTerminalIsConfirmedWhenRegistering() {
        assertThat(Secrets.password(io(new byte[0], Map.of(), "aaaaaaaa", "aaaaaaaa"), false, true))
                .isEqualTo("aaaaaaaa".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> Secrets.password(io(new byte[0], Map.of(), "aaaaaaaa", "bbbbbbbb"), false, true))
                .hasMessageContaining("do not match");
        assertThat(Secrets.password(io(new byte[0], Map.of(), "only once"), false, false)).hasSize(9);
        assertThatThrownBy(() -> Secrets.password(io(new byte[0], Map.of()), false, false))
                .hasMessageContaining("--password-stdin");
    }

    @Test
    void storePassphraseComesFromTheEnvironmentFirst() {
        var fromEnv = Secrets.storePassphrase(io(new byte[0], Map.of("CRUMBHUB_PASSPHRASE", "env"), "typed"));
        assertThat(fromEnv.passphrase("p")).containsExactly('e', 'n', 'v');
        var typed = Secrets.storePassphrase(io(new byte[0], Map.of(), "typed"));
        assertThat(new String(typed.passphrase("p"))).isEqualTo("typed");
    }

    @Test
    void listenOptionsAreValidated() {
        assertThat(Listen.parseCount("3")).isEqualTo(3);
        assertThat(Listen.parseTimeout("1.5")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Listen.parseTimeout("30")).isEqualTo(Duration.ofSeconds(30));
        for (var bad : new String[] {"0", "-1", "x", "1e3", ""}) {
            assertThatThrownBy(() -> Listen.parseCount(bad)).as(bad).hasMessageContaining("--count");
        }
        for (var bad : new String[] {"0", "-1", "abc", "1e3", "0.0", "99999999999999"}) {
            assertThatThrownBy(() -> Listen.parseTimeout(bad)).as(bad).hasMessageContaining("--timeout");
        }
    }
}
