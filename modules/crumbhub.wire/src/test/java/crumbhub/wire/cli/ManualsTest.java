package crumbhub.wire.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manual page and the completion scripts hold every command and option of a program's doc, and parse. */
class ManualsTest {
    static final ProgramDoc DOC = new ProgramDoc("crumbhub-demo", "a program's summary",
            List.of("crumbhub-demo COMMAND [--home DIR]"), "First paragraph, it's quoted.\n\n.A line starting with a dot.",
            List.of(new ProgramDoc.Option("--home", "DIR", "home directory"),
                    new ProgramDoc.Option("--debug", null, "stack traces"),
                    new ProgramDoc.Option("-h", null, "help")),
            List.of(new ProgramDoc.Command("send", "TARGET TEXT...", "send a message: it's quick", List.of(
                            new ProgramDoc.Option("--reply-to", "ID", "the message replied to"))),
                    new ProgramDoc.Command("devices", "", "list devices", List.of()),
                    new ProgramDoc.Command("devices revoke", "ID", "revoke one", List.of(
                            new ProgramDoc.Option("--format", "FORMAT", "output", List.of("text", "json")))),
                    new ProgramDoc.Command("room create", "#ROOM", "create a room", List.of(
                            new ProgramDoc.Option("--config", "FILE", "a file")))),
            List.of(new ProgramDoc.Section("exit status", "0 when it worked")));

    @Test
    void everyCommandAndOptionIsInEveryScriptAndInTheManualPage() {
        String man = ManPage.render(DOC, "1.2.3");
        for (String shell : Completions.SHELLS) {
            String script = Completions.render(DOC, shell);
            for (String word : List.of("send", "devices", "revoke", "room", "create")) {
                assertThat(script).as(shell).contains(word);
            }
            for (String option : DOC.allOptionNames()) {
                String expected = shell.equals("fish") ? (option.startsWith("--") ? "-l " + option.substring(2)
                        : "-s " + option.substring(1)) : option;
                assertThat(script).as(shell + " " + option).contains(expected);
            }
        }
        for (String option : DOC.allOptionNames()) {
            assertThat(man).contains(ManPage.escape(option));
        }
        assertThat(man).contains(".TH \"CRUMBHUB\\-DEMO\" 1", "CrumbHub 1.2.3", ".SH EXIT STATUS", "\\&.A line")
                .contains(".B room create");
    }

    @Test
    void theBashScriptParsesAndCompletesCommandsOptionsAndValues(@TempDir Path tmp) throws Exception {
        Path script = tmp.resolve("demo.bash");
        Files.writeString(script, Completions.render(DOC, "bash"));
        assertThat(run(tmp, "bash", "-n", script.toString())).isEmpty();
        assertThat(complete(tmp, script, "crumbhub-demo ''")).containsExactly("send", "devices", "room");
        assertThat(complete(tmp, script, "crumbhub-demo room ''")).containsExactly("create");
        assertThat(complete(tmp, script, "crumbhub-demo devices ''")).containsExactly("revoke");
        assertThat(complete(tmp, script, "crumbhub-demo send '#x' --")).containsExactlyInAnyOrder("--home", "--debug",
                "--reply-to");
        assertThat(complete(tmp, script, "crumbhub-demo devices revoke 3 --format ''")).containsExactly("text", "json");
        assertThat(complete(tmp, script, "crumbhub-demo --home /tmp room ''")).containsExactly("create");
    }

    @Test
    void anUnknownShellIsRefused() {
        assertThatThrownBy(() -> Completions.render(DOC, "tcsh")).hasMessageContaining("bash, zsh, fish");
    }

    /** Runs the bash completion function on a command line given as shell words; the candidates. */
    private static List<String> complete(Path tmp, Path script, String words) throws Exception {
        String program = "source " + script + "; COMP_WORDS=(" + words + "); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ));"
                + " _crumbhub_demo; printf '%s\\n' \"${COMPREPLY[@]}\"";
        return run(tmp, "bash", "--norc", "-c", program).lines().filter(l -> !l.isEmpty()).toList();
    }

    private static String run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
