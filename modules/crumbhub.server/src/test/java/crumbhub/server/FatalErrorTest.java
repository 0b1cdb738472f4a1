package crumbhub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An {@link Error} on the core thread ends the server process with a clear last log line. */
class FatalErrorTest {

    @Test
    void anErrorInsideACommitEndsTheServerWithAFatalLineAndStatus70(@TempDir Path dir) throws Exception {
        var stderr = dir.resolve("stderr.txt");
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // on the class path the JDK's own logger prints: one line per record, as the image's logger does
        var process = new ProcessBuilder(List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "-Djava.util.logging.SimpleFormatter.format=%4$s %5$s%n",
                "-cp", System.getProperty("java.class.path"), FatalErrorChild.class.getName(),
                dir.resolve("data").toString()))
                .redirectError(stderr.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("server process ended").isTrue();
        } finally {
            process.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(stderr);
        assertThat(process.exitValue()).as("exit status; stderr: %s", lines).isEqualTo(Main.FATAL_STATUS);
        assertThat(lines).isNotEmpty();
        assertThat(lines.getLast())
                .contains("event=fatal")
                .contains("thread=crumbhub-core")
                .contains("error_type=java.lang.InternalError");
    }
}
