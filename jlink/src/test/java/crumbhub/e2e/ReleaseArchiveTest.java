package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive written by the build: it unpacks into {@code crumbhub-VERSION/} and runs
 * with no JDK on the PATH and no JAVA_HOME; its AOT caches are used from wherever it was
 * unpacked; its share/ files (systemd unit, example configuration) work.
 */
class ReleaseArchiveTest {

    /** An environment with no Java in sight: PATH reduced to /usr/bin:/bin, no JAVA_HOME. */
    private static Map<String, String> bareEnv(Path home) {
        return Map.of("PATH", "/usr/bin:/bin", "HOME", home.toString(), "LANG", "C.UTF-8");
    }

    private static Path unpack(Path tmp) throws Exception {
        Path target = Image.home().getParent();
        List<Path> archives;
        try (Stream<Path> s = Files.list(target)) {
            archives = s.filter(p -> p.getFileName().toString().matches("crumbhub-.+-linux-.+\\.tar\\.gz")).toList();
        }
        String version = Files.readString(Image.home().resolve("VERSION")).strip();
        assertThat(archives).singleElement().satisfies(p -> assertThat(p.getFileName().toString())
                .isEqualTo("crumbhub-" + version + "-linux-" + arch() + ".tar.gz"));
        Path dest = Files.createDirectories(tmp.resolve("unpacked"));
        Process tar = new ProcessBuilder("tar", "-xzf", archives.getFirst().toString(), "-C", dest.toString())
                .inheritIO().start();
        assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).isZero();
        try (Stream<Path> s = Files.list(dest)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("crumbhub-" + version);
        }
        return dest.resolve("crumbhub-" + version);
    }

    private static String arch() {
        String a = System.getProperty("os.arch");
        return a.equals("amd64") ? "x86_64" : a;
    }

    @Test
    void theArchiveRunsAServerAndClientsWithoutAnyInstalledJava(@TempDir Path tmp) throws Exception {
        Path image = unpack(tmp);
        Map<String, String> env = bareEnv(tmp);
        assertThat(env).doesNotContainKey("JAVA_HOME");

        Image.Result help = Image.run(image, env, "crumbhub-server", null, List.of("--help"));
        assertThat(help.exit()).as(help.stderr()).isZero();
        assertThat(help.stdout()).contains("--listen HOST:PORT", "CRUMBHUB_LISTEN", "restore BACKUP");
        assertThat(help.stderr()).isEmpty();
        Image.Result version = Image.run(image, env, "crumbhub-server", null, List.of("--version"));
        assertThat(version.stdout()).contains("(Java 25").contains(image.toRealPath().toString());

        try (ServerProcess server = ServerProcess.start(image, env, tmp.resolve("data"), 0)) {
            ClientHome alice = new ClientHome("alice", tmp.resolve("alice"), image, env);
            ClientHome bob = new ClientHome("bob", tmp.resolve("bob"), image, env);
            alice.register(server, "alice archive password");
            bob.register(server, "bob archive password");
            alice.ok("send", "@bob", "hello from the archive");
            assertThat(bob.listenJson(1, 30)).extracting(m -> m.get("text")).containsExactly("hello from the archive");
            assertThat(Image.run(image, env, "crumbhub-server", null,
                    List.of("--data", tmp.resolve("data").toString(), "users")).lines()).hasSize(2);
            assertThat(server.terminate()).isZero();
        }
    }

    @Test
    void theUnpackedLaunchersStartFromTheirAotCachesAndTheClientLoadsNoServerCode(@TempDir Path tmp) throws Exception {
        Path image = unpack(tmp);
        assertThat(image.resolve("lib/crumbhub-server.aot")).isRegularFile();
        assertThat(image.resolve("lib/crumbhub-client.aot")).isRegularFile();
        Map<String, String> env = new java.util.HashMap<>(bareEnv(tmp));
        env.put("CRUMBHUB_JAVA_OPTS", "-Xlog:class+load=info");
        for (String program : List.of("crumbhub-server", "crumbhub-client")) {
            Image.Result r = Image.run(image, env, program, null, List.of("--help"));
            assertThat(r.exit()).as(r.stderr()).isZero();
            long fromCache = r.stdout().lines().filter(l -> l.contains("source: shared objects file")).count();
            long crumbhubFromCache = r.stdout().lines()
                    .filter(l -> l.contains(" crumbhub.") && l.contains("source: shared objects file")).count();
            assertThat(fromCache).as("%s classes from the AOT cache", program).isGreaterThan(300);
            assertThat(crumbhubFromCache).as("%s's own classes from the AOT cache", program).isGreaterThan(10);
            if (program.equals("crumbhub-client")) {
                assertThat(r.stdout()).doesNotContain(" crumbhub.server.");
            }
        }
        // a cache the JVM cannot use (damaged) is skipped without a word
        Files.write(image.resolve("lib/crumbhub-client.aot"), new byte[4096]);
        Image.Result damaged = Image.run(image, bareEnv(tmp), "crumbhub-client", null, List.of("--help"));
        assertThat(damaged.exit()).isZero();
        assertThat(damaged.stderr()).isEmpty();
    }

    @Test
    void theBenchLauncherRunsItsOwnModuleWithNeitherClientNorServerCode(@TempDir Path tmp) {
        Map<String, String> env = new java.util.HashMap<>(bareEnv(tmp));
        env.put("CRUMBHUB_JAVA_OPTS", "-Xlog:class+load=info");
        Image.Result r = Image.run(Image.home(), env, "crumbhub-bench", null, List.of("--help"));
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("usage: crumbhub-bench", " crumbhub.bench.BenchMain ")
                .doesNotContain(" crumbhub.client.", " crumbhub.server.");
    }

    /** The JVM's final flags as the server launcher sets them, with {@code extra} in the environment. */
    private static Image.Result serverFlags(Path tmp, Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(bareEnv(tmp));
        env.put("CRUMBHUB_JAVA_OPTS", "-XX:+PrintFlagsFinal " + extra.getOrDefault("CRUMBHUB_JAVA_OPTS", ""));
        extra.forEach((k, v) -> env.putIfAbsent(k, v));
        return Image.run(Image.home(), env, "crumbhub-server", null, List.of("--version"));
    }

    private static long flag(Image.Result r, String name) {
        var m = Pattern.compile("(?m)^\\s*\\S+\\s+" + name + "\\s+=\\s+(\\S+)").matcher(r.stdout());
        assertThat(m.find()).as("%s in %s", name, r.stderr()).isTrue();
        return m.group(1).equals("true") ? 1 : m.group(1).equals("false") ? 0 : Long.parseLong(m.group(1));
    }

    @Test
    void theServerLauncherBoundsTheHeapAndEndsOnTheFirstOutOfMemoryError(@TempDir Path tmp) {
        Image.Result defaults = serverFlags(tmp, Map.of());
        assertThat(defaults.exit()).as(defaults.stderr()).isZero();
        assertThat(flag(defaults, "MaxHeapSize")).isEqualTo(512L << 20);
        assertThat(flag(defaults, "ExitOnOutOfMemoryError")).isEqualTo(1);
        assertThat(flag(serverFlags(tmp, Map.of("CRUMBHUB_SERVER_HEAP", "1g")), "MaxHeapSize")).isEqualTo(1L << 30);
        assertThat(flag(serverFlags(tmp, Map.of("CRUMBHUB_JAVA_OPTS", "-Xmx768m")), "MaxHeapSize"))
                .as("CRUMBHUB_JAVA_OPTS comes later and wins").isEqualTo(768L << 20);
        Image.Result bad = serverFlags(tmp, Map.of("CRUMBHUB_SERVER_HEAP", "lots"));
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.stderr().strip())
                .isEqualTo("crumbhub-server: CRUMBHUB_SERVER_HEAP must be a size such as 512m or 2g, got 'lots'");
    }

    @Test
    void theExampleConfigurationNamesEverySettingAndWorksUncommented(@TempDir Path tmp) throws Exception {
        Path example = Image.home().resolve("share/crumbhub.properties.example");
        String text = Files.readString(example);
        Image.Result help = Image.server("--help");
        var keys = Pattern.compile("file key ([a-z.]+),").matcher(help.stdout()).results().map(m -> m.group(1)).toList();
        assertThat(keys).hasSizeGreaterThanOrEqualTo(9);
        for (String key : keys) {
            assertThat(text).as("example mentions %s", key).containsPattern("(?m)^#" + Pattern.quote(key) + "=");
        }
        Path config = tmp.resolve("crumbhub.properties");
        Files.writeString(config, text.replaceAll("(?m)^#([a-z.]+=)", "$1"));
        try (ServerProcess server = ServerProcess.start(tmp.resolve("data"), 0, "--config", config.toString())) {
            assertThat(server.port).isPositive();
            assertThat(server.terminate()).isZero();
        }
    }

    @Test
    void theSystemdUnitIsHardenedAndValid(@TempDir Path tmp) throws Exception {
        String unit = Files.readString(Image.home().resolve("share/crumbhub-server.service"));
        assertThat(unit).contains("User=crumbhub", "StateDirectory=crumbhub", "NoNewPrivileges=yes",
                "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "CapabilityBoundingSet=\n",
                "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "ExecStart=/opt/crumbhub/bin/crumbhub-server")
                .doesNotContain("MemoryDenyWriteExecute=yes");
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        if (Files.isExecutable(analyze)) {
            Path copy = tmp.resolve("crumbhub-server.service");
            Files.writeString(copy, unit.replace("/opt/crumbhub/bin/crumbhub-server",
                    Image.bin("crumbhub-server").toString()));
            Process p = new ProcessBuilder(analyze.toString(), "verify", copy.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(out.lines().filter(l -> l.contains("crumbhub-server.service"))
                    .filter(l -> !l.contains("Documentation"))).as(out).isEmpty();
        }
    }
}
