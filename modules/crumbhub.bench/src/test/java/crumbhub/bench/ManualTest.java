package crumbhub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.wire.cli.ManPage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

/** {@code --man} and {@code --completion SHELL} hold every option the bench accepts; {@code --version}. */
class ManualTest {
    private static String run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int exit = BenchMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theManualPageAndEveryCompletionScriptNameEveryOptionTheBenchAccepts() {
        var accepted = new HashSet<>(BenchArgs.VALUED);
        accepted.addAll(BenchArgs.FLAGS);
        String man = run("--man");
        assertThat(man).startsWith(".TH \"CRUMBHUB\\-BENCH\" 1");
        for (String shell : new String[] {"bash", "zsh", "fish"}) {
            String script = run("--completion", shell);
            for (String option : accepted) {
                assertThat(script).as("%s %s", shell, option)
                        .contains(shell.equals("fish") ? "-l " + option.substring(2) : option);
                assertThat(man).as(option).contains(ManPage.escape(option));
            }
        }
        assertThat(Manual.doc().options()).filteredOn(o -> accepted.contains(o.name()))
                .allSatisfy(o -> assertThat(o.help()).isNotBlank());
    }

    @Test
    void versionIsOneLine() {
        assertThat(run("--version")).matches("crumbhub-bench \\S+ \\(Java .*\\)\\R");
    }
}
