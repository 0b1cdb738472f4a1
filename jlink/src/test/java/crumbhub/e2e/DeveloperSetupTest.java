package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's developer set-up on a machine whose default {@code java} is older than 25: the
 * repository's {@code ./mvn25} finds an installed JDK 25 by itself, and says what to install when
 * there is none.
 */
class DeveloperSetupTest {
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path tmp;

    /** A directory with a {@code java}, {@code javac} and {@code jlink} that say they are Java 17. */
    private Path oldJava() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("old-jdk/bin"));
        for (String tool : new String[] {"java", "javac", "jlink"}) {
            Path p = bin.resolve(tool);
            Files.writeString(p, "#!/bin/sh\necho 'openjdk version \"17.0.9\" 2023-10-17' >&2\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bin;
    }

    private record Result(int exit, String out) {}

    private Result mvn25(Map<String, String> env, String... args) throws Exception {
        var cmd = new java.util.ArrayList<>(java.util.List.of(REPO.resolve("mvn25").toString()));
        cmd.addAll(java.util.List.of(args));
        var pb = new ProcessBuilder(cmd).directory(REPO.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private String path() throws Exception {
        // the old java first; Maven itself from the system's PATH
        return oldJava() + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    }

    @Test
    void findsAnInstalledJdk25WhenTheDefaultJavaIsOlder() throws Exception {
        Path jvms = Files.createDirectories(tmp.resolve("jvm"));
        Files.createSymbolicLink(jvms.resolve("some-jdk-25"), Path.of(System.getProperty("java.home")));
        Result r = mvn25(Map.of("PATH", path(), "HOME", tmp.toString(), "CRUMBHUB_JDK_DIRS", jvms.toString()), "-v");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("mvn25: JAVA_HOME=" + jvms.resolve("some-jdk-25"))
                .containsPattern("Java version: (2[5-9]|[3-9][0-9])");
    }

    @Test
    void saysWhatToInstallWhenThereIsNoJdk25() throws Exception {
        Path none = Files.createDirectories(tmp.resolve("nothing"));
        Result r = mvn25(Map.of("PATH", path(), "HOME", tmp.toString(), "CRUMBHUB_JDK_DIRS", none.toString()), "-v");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("mvn25: no JDK 25 found").contains("apt-get install temurin-25-jdk",
                "https://adoptium.net");
    }
}
