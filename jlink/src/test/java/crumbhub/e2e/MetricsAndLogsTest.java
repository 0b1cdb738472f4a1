package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.testkit.Await;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scrape of {@code /metrics} after real traffic, parsed and checked against the Prometheus
 * conventions and against what happened; and the JSON log of the same run: every line an
 * object, none with a password, a message body or the server's private key.
 */
class MetricsAndLogsTest {
    private static final Pattern METRICS = Pattern.compile("metrics on (\\S+):(\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void metricsCountRealTrafficAndLogsKeepSecretsOut(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        try (ServerProcess server = ServerProcess.start(data, 0, "--metrics", "127.0.0.1:0", "--log-format", "json",
                "--log-level", "debug")) {
            Matcher m = server.awaitLine(METRICS, Duration.ofSeconds(10));
            String base = "http://127.0.0.1:" + m.group(2);
            ClientHome alice = new ClientHome("alice", tmp.resolve("alice"));
            ClientHome bob = new ClientHome("bob", tmp.resolve("bob"));
            alice.register(server, "alice secret pass");
            bob.register(server, "bob secret pass");
            alice.ok("room", "create", "#metrics");
            alice.ok("room", "invite", "#metrics", "bob");
            bob.ok("room", "join", "#metrics");
            for (int i = 0; i < 3; i++) {
                alice.ok("send", "#metrics", "body-never-logged-" + i);
            }
            assertThat(bob.listenJson(3, 30)).hasSize(3);
            Image.Result wrong = new ClientHome("alice", tmp.resolve("alice2"))
                    .runWithInput("not her password\n", "login", server.address(), "alice", "--password-stdin");
            assertThat(wrong.exit()).isNotZero();
            try (Socket s = new Socket("127.0.0.1", server.port); OutputStream out = s.getOutputStream()) {
                s.setSoTimeout(15_000);
                out.write(new byte[] {0, 5, 'h', 'e', 'l', 'l', 'o'});
                out.flush();
                s.shutdownOutput();
                s.getInputStream().read();
            }

            Map<String, Double> samples = scrapeUntil(base, "crumbhub_handshake_failures_total", 1);
            // four messages from clients: alice's sender key for #metrics, sent to bob's device over
            // their pairwise session before her first room message, and the three room messages
            assertThat(samples.get("crumbhub_messages_received_total")).isEqualTo(4);
            assertThat(samples.get("crumbhub_fanout_deliveries_total")).isEqualTo(4);
            assertThat(samples.get("crumbhub_messages_delivered_total")).isGreaterThanOrEqualTo(4);
            assertThat(samples.get("crumbhub_messages_stored_total")).isEqualTo(4);
            assertThat(samples.get("crumbhub_login_failures_total")).isEqualTo(1);
            assertThat(samples.get("crumbhub_handshake_failures_total")).isEqualTo(1);
            assertThat(samples.get("crumbhub_users")).isEqualTo(2);
            Process listener = new ProcessBuilder(Image.bin("crumbhub-client").toString(), "listen", "--timeout", "30",
                    "--home", bob.home.toString()).redirectErrorStream(true).redirectOutput(tmp.resolve("listen.out").toFile())
                    .start();
            try {
                Map<String, Double> online = scrapeUntil(base, "crumbhub_users_online", 1);
                assertThat(online.get("crumbhub_users_online")).isEqualTo(1);
                assertThat(online.get("crumbhub_sessions")).isEqualTo(1);
                assertThat(online.get("crumbhub_connections")).isGreaterThanOrEqualTo(1);
            } finally {
                listener.destroy();
                listener.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
            }
            assertThat(samples.get("crumbhub_connections_accepted_total")).isGreaterThanOrEqualTo(10);
            assertThat(samples.get("crumbhub_connections")).isGreaterThanOrEqualTo(0);
            assertThat(samples.get("crumbhub_core_responsive")).isEqualTo(1);
            assertThat(samples.get("crumbhub_store_size_bytes")).isPositive();
            assertThat(samples.get("crumbhub_store_appends_total")).isGreaterThanOrEqualTo(10);
            assertThat(samples.get("crumbhub_store_fsync_duration_seconds_count")).isPositive();
            assertThat(samples.get("crumbhub_store_fsync_duration_seconds_bucket{le=\"+Inf\"}"))
                    .isEqualTo(samples.get("crumbhub_store_fsync_duration_seconds_count"));
            assertThat(samples.get("process_start_time_seconds")).isGreaterThan(1.7e9);
            assertThat(samples.keySet()).anyMatch(k -> k.startsWith("crumbhub_build_info{version=\""));

            HttpResponse<String> health = get(base + "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("ok\n");
            assertThat(get(base + "/nothing").statusCode()).isEqualTo(404);

            assertThat(server.terminate()).isZero();
            String log = server.outputUntil(Pattern.compile("\"event\":\"stopped\""), Duration.ofSeconds(10));
            List<String> jsonLines = log.lines().filter(l -> l.startsWith("{")).toList();
            assertThat(jsonLines).hasSizeGreaterThan(10);
            for (String line : jsonLines) {
                Map<String, Object> o = JsonLine.parse(line);
                assertThat(o).containsKeys("ts", "level", "logger");
            }
            assertThat(log.lines().filter(l -> !l.startsWith("{")))
                    .as("only the start-up lines on stdout are not JSON")
                    .allSatisfy(l -> assertThat(l).matches("(crumbhub-server listening on|fingerprint|metrics on) .*"));
            byte[] key = Files.readAllBytes(data.resolve("server.key"));
            String keyHex = HexFormat.of().formatHex(key, 1, key.length);
            assertThat(log).doesNotContain("secret pass").doesNotContain("not her password")
                    .doesNotContain("body-never-logged").doesNotContainIgnoringCase(keyHex);
            assertThat(jsonLines).filteredOn(l -> l.contains("\"event\":\"login_failed\"")).singleElement().asString()
                    .contains("\"user_hash\":").doesNotContain("alice");
        }
    }

    /** Scrapes until {@code name} reaches {@code atLeast} (events counted by other threads), checking the format each time. */
    private static Map<String, Double> scrapeUntil(String base, String name, double atLeast) {
        return Await.succeeds(() -> {
            HttpResponse<String> r = get(base + "/metrics");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
            Map<String, Double> samples = checkExposition(r.body());
            assertThat(samples.getOrDefault(name, 0.0)).as(name).isGreaterThanOrEqualTo(atLeast);
            return samples;
        }, Duration.ofSeconds(20), name + " reaching " + atLeast);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) \\S.*");
    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram)");
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\""
                    + "(?:,[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\")*})? (-?[0-9.eE+-]+|NaN|[+-]Inf)");

    /**
     * Parses the text format strictly: each family is a HELP line, a TYPE line and its samples;
     * counters end in {@code _total}; only counters do; a histogram's buckets rise with {@code le}
     * and end with {@code +Inf} equal to its {@code _count}; no family appears twice.
     * Returns every sample by its name with labels.
     */
    static Map<String, Double> checkExposition(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        List<String> families = new ArrayList<>();
        String family = null;
        String type = null;
        List<String> lines = text.lines().toList();
        assertThat(text).endsWith("\n");
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher help = HELP.matcher(line);
            if (help.matches()) {
                family = help.group(1);
                assertThat(families).as("family declared twice").doesNotContain(family);
                families.add(family);
                Matcher t = TYPE.matcher(lines.get(++i));
                assertThat(t.matches()).as("TYPE after HELP of %s: %s", family, lines.get(i)).isTrue();
                assertThat(t.group(1)).isEqualTo(family);
                type = t.group(2);
                assertThat(family.endsWith("_total")).as("%s: only counters end in _total", family)
                        .isEqualTo(type.equals("counter"));
                continue;
            }
            Matcher s = SAMPLE.matcher(line);
            assertThat(s.matches()).as("sample line: %s", line).isTrue();
            String name = s.group(1);
            assertThat(family).as("sample before any HELP: %s", line).isNotNull();
            if (type.equals("histogram")) {
                assertThat(name).isIn(family + "_bucket", family + "_sum", family + "_count");
            } else {
                assertThat(name).isEqualTo(family);
            }
            double v = s.group(3).equals("+Inf") ? Double.POSITIVE_INFINITY : s.group(3).equals("-Inf")
                    ? Double.NEGATIVE_INFINITY : Double.parseDouble(s.group(3));
            if (type.equals("counter")) {
                assertThat(v).as(name).isGreaterThanOrEqualTo(0);
            }
            samples.put(name + (s.group(2) == null ? "" : s.group(2)), v);
        }
        for (String f : families) {
            if (samples.containsKey(f + "_count")) {
                double previous = 0;
                double previousLe = Double.NEGATIVE_INFINITY;
                for (var e : samples.entrySet()) {
                    if (e.getKey().startsWith(f + "_bucket{le=\"")) {
                        String le = e.getKey().substring((f + "_bucket{le=\"").length(), e.getKey().length() - 2);
                        double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                        assertThat(bound).as("buckets rise").isGreaterThan(previousLe);
                        assertThat(e.getValue()).as("cumulative").isGreaterThanOrEqualTo(previous);
                        previous = e.getValue();
                        previousLe = bound;
                    }
                }
                assertThat(previousLe).as("last bucket of %s is +Inf", f).isInfinite();
                assertThat(previous).isEqualTo(samples.get(f + "_count"));
            }
        }
        return samples;
    }
}
