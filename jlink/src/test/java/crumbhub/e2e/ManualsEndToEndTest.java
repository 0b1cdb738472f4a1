package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The image holds a manual page and bash, zsh and fish completions for each program, generated at
 * build time from the programs' own specs; every program answers {@code --version}.
 */
class ManualsEndToEndTest {
    private static final List<String> PROGRAMS = List.of("crumbhub-server", "crumbhub-client", "crumbhub-bench");

    @Test
    void everyProgramHasItsManualPageAndCompletionsInTheImage() throws Exception {
        Path share = Image.home().resolve("share");
        for (String program : PROGRAMS) {
            Path man = share.resolve("man/man1/" + program + ".1");
            Path bash = share.resolve("bash-completion/completions/" + program);
            Path zsh = share.resolve("zsh/site-functions/_" + program);
            Path fish = share.resolve("fish/vendor_completions.d/" + program + ".fish");
            for (Path p : List.of(man, bash, zsh, fish)) {
                assertThat(p).as(p.toString()).isRegularFile();
                assertThat(Files.size(p)).as(p.toString()).isGreaterThan(200);
            }
            assertThat(Files.readString(man)).startsWith(".TH \"" + program.toUpperCase().replace("-", "\\-") + "\" 1");
            assertThat(Files.readString(zsh)).startsWith("#compdef " + program);
            assertThat(shell("bash", "-n", bash.toString())).isZero();
            // zsh and fish check the syntax of their scripts where installed (.ci/run installs them)
            if (Files.isExecutable(Path.of("/usr/bin/zsh"))) {
                assertThat(shell("zsh", "-n", zsh.toString())).as("zsh -n").isZero();
            }
            if (Files.isExecutable(Path.of("/usr/bin/fish"))) {
                assertThat(shell("fish", "--no-execute", fish.toString())).as("fish --no-execute").isZero();
            }
            if (Files.isExecutable(Path.of("/usr/bin/man"))) {
                assertThat(shell("sh", "-c", "MANWIDTH=80 man -l " + man + " | grep -q " + program)).as("man -l").isZero();
            }
        }
        String clientCompletion = Files.readString(share.resolve("bash-completion/completions/crumbhub-client"));
        assertThat(clientCompletion).contains("join", "--password-stdin", "complete -F _crumbhub_client crumbhub-client");
        if (Files.isExecutable(Path.of("/usr/bin/fish"))) {
            Path script = share.resolve("fish/vendor_completions.d/crumbhub-client.fish");
            Process p = new ProcessBuilder("fish", "--no-config", "-c", "source " + script
                    + "; complete -C 'crumbhub-client room '").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(out.lines().map(l -> l.split("\t")[0])).contains("create", "join", "invite", "kick", "members");
        }
    }

    @Test
    void everyProgramPrintsItsVersion() {
        String version = Image.home().resolve("VERSION").toFile().exists() ? read(Image.home().resolve("VERSION")) : "";
        for (String program : PROGRAMS) {
            Image.Result r = Image.run(program, null, List.of("--version"));
            assertThat(r.exit()).as(program + ": " + r.stderr()).isZero();
            assertThat(r.stdout()).startsWith(program + " " + version + " (Java ");
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int shell(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }
}
