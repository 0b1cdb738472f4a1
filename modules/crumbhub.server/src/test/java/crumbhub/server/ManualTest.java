package crumbhub.server;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.wire.cli.ManPage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --man} and {@code --completion SHELL} hold every setting and subcommand of {@code --help}. */
class ManualTest {
    private record Printed(int exit, String out, String err) {}

    private static Printed run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int exit = Main.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Printed(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theManualPageAndEveryCompletionScriptNameEverySettingAndCommand() {
        Printed man = run("--man");
        assertThat(man.exit()).isZero();
        assertThat(man.out()).startsWith(".TH \"CRUMBHUB\\-SERVER\" 1");
        for (String shell : new String[] {"bash", "zsh", "fish"}) {
            Printed script = run("--completion", shell);
            assertThat(script.exit()).as(script.err()).isZero();
            for (CommandLine.Setting s : CommandLine.SETTINGS) {
                assertThat(script.out()).as("%s %s", shell, s.flag())
                        .contains(shell.equals("fish") ? "-l " + s.flag().substring(2) : s.flag());
                assertThat(man.out()).contains(ManPage.escape(s.flag()));
            }
            for (CommandLine.AdminCommand c : CommandLine.ADMIN_COMMANDS) {
                assertThat(script.out()).as("%s %s", shell, c.name()).contains(c.name());
                assertThat(man.out()).contains(".B " + ManPage.escape(c.name()));
                for (CommandLine.Setting o : c.options()) {
                    assertThat(script.out()).contains(shell.equals("fish") ? "-l " + o.key() : o.flag());
                    assertThat(man.out()).contains(ManPage.escape(o.flag()));
                }
                assertThat(CommandLine.HELP).contains(c.usage());
            }
        }
        assertThat(run("--completion", "csh").exit()).isEqualTo(2);
    }
}
