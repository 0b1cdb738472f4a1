package crumbhub.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.wire.cli.ManPage;
import org.junit.jupiter.api.Test;

/** {@code --man} and {@code --completion SHELL} hold every command and option of the specs; {@code --version}. */
class ManualTest {
    private Run.Result run(String... args) {
        var r = bare(args);
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    /** The command line exactly as given: no --home, which --version and the others stand without. */
    private static Run.Result bare(String... args) {
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        var io = new Io(java.io.InputStream.nullInputStream(), new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8), java.util.Map.of(),
                SecretPrompt.NONE, java.time.Clock.systemUTC(), java.time.ZoneOffset.UTC);
        int exit = CommandRunner.run(args, io);
        return new Run.Result(exit, out.toString(java.nio.charset.StandardCharsets.UTF_8),
                err.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void theManualPageAndEveryCompletionScriptNameEveryCommandAndOption() {
        String man = run("--man").out();
        assertThat(man).startsWith(".TH \"CRUMBHUB\\-CLIENT\" 1");
        for (String shell : new String[] {"bash", "zsh", "fish"}) {
            String script = run("--completion", shell).out();
            for (CommandSpec spec : Specs.ALL) {
                for (String word : spec.name().split(" ")) {
                    assertThat(script).as("%s: %s", shell, spec.name()).contains(word);
                }
                assertThat(man).as("man: %s", spec.name()).contains(".B " + ManPage.escape(spec.name()));
                for (OptionSpec o : spec.options()) {
                    assertThat(script).as("%s: %s --%s", shell, spec.name(), o.name())
                            .contains(shell.equals("fish") ? "-l " + o.name() : "--" + o.name());
                    assertThat(man).contains(ManPage.escape("--" + o.name()));
                }
            }
            for (OptionSpec o : CommandLine.GLOBAL_OPTIONS) {
                assertThat(script).contains(shell.equals("fish") ? "-l " + o.name() : "--" + o.name());
                assertThat(man).contains(ManPage.escape("--" + o.name()));
            }
        }
    }

    @Test
    void versionIsOneLine() {
        assertThat(run("--version").out()).matches("crumbhub-client \\S+ \\(Java .*\\)\\n");
    }

    @Test
    void anUnknownShellIsAUsageError() {
        var r = bare("--completion", "tcsh");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("crumbhub-client: usage: crumbhub-client --completion bash|zsh|fish\n");
    }
}
