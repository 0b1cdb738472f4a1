package crumbhub.server;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.server.domain.Quotas;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;
import crumbhub.wire.RoomFrame;
import crumbhub.wire.TargetKind;
import crumbhub.wire.loop.EventLoopGroup;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The review's flood at full size (finding 1), against a server process with the default quotas
 * under {@code -Xmx256m}, the heap that gave 2,716 {@code OutOfMemoryError}s before: three
 * accounts each try to queue 216 MB for offline users. They get {@code quota} errors; the server
 * keeps at most half its heap in messages, stays healthy and keeps serving others. About a minute;
 * {@code -Psoak} only.
 */
@EnabledIfSystemProperty(named = "crumbhub.soak", matches = "true",
        disabledReason = "a minute of flooding; run with -Psoak")
class MailboxFloodSoakTest {
    private static final long HEAP = 256L << 20;

    @TempDir
    Path dir;

    @Test
    void theReviewsFloodMeetsQuotasUnderA256MegabyteHeap() throws Exception {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path data = dir.resolve("data");
        var process = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--data", data.toString(),
                "--listen", "127.0.0.1:0", "--metrics", "127.0.0.1:0", "--registration", "open", "--hash-threads", "1"))
                .redirectError(dir.resolve("stderr.txt").toFile())
                .start();
        var loops = new EventLoopGroup("soak-client", 1);
        var clients = new ArrayList<TestClient>();
        try {
            InetSocketAddress server = null;
            InetSocketAddress metrics = null;
            var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            Pattern address = Pattern.compile("(listening on|metrics on) 127\\.0\\.0\\.1:([0-9]+)");
            for (String line; (server == null || metrics == null) && (line = out.readLine()) != null; ) {
                Matcher m = address.matcher(line);
                if (m.find()) {
                    var a = new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(2)));
                    if (m.group(1).startsWith("listening")) {
                        server = a;
                    } else {
                        metrics = a;
                    }
                }
            }
            assertThat(server).as("the server started").isNotNull();
            var users = new ArrayList<TestClient>();
            for (String name : List.of("alice", "dave", "mallory1", "mallory2", "mallory3", "bob", "carol", "erin", "frank")) {
                var c = new TestClient(server, loops.next(), TestClient.newKey());
                clients.add(c);
                users.add(c.register(name, "password of " + name));
            }
            var alice = users.get(0);
            var dave = users.get(1);
            alice.call(id -> new RoomFrame.RoomCreate(id, "ops"), ControlFrame.Ok.class);
            alice.call(id -> new RoomFrame.RoomInvite(id, "ops", "dave"), ControlFrame.Ok.class);
            dave.call(id -> new RoomFrame.RoomJoin(id, "ops"), ControlFrame.Ok.class);
            dave.sync();
            for (int i = 5; i < users.size(); i++) {
                users.get(i).close();
            }

            long refused = 0;
            for (int m = 2; m <= 4; m++) {
                for (String target : List.of("bob", "carol", "erin")) {
                    List<Frame> replies = MailboxFloodTest.flood(users.get(m), target, 1200);
                    for (Frame f : replies) {
                        if (f instanceof ControlFrame.Error e) {
                            assertThat(e.errorCode()).contains(ErrorCode.QUOTA);
                            refused++;
                        }
                    }
                }
                alice.send(TargetKind.ROOM, "ops", "still here after mallory" + (m - 1));
                assertThat(TestClient.text(dave.nextPush())).isEqualTo("still here after mallory" + (m - 1));
            }
            assertThat(refused).as("quota refusals").isPositive();
            assertThat(process.isAlive()).as("the server survived the flood").isTrue();

            String text = get(metrics, "/metrics");
            long waiting = sample(text, "crumbhub_messages_waiting_bytes");
            assertThat(waiting).as("messages kept: at most a quarter of the heap").isLessThanOrEqualTo(HEAP / 4);
            assertThat(get(metrics, "/health")).startsWith("HTTP/1.0 200");
            assertThat(MailboxFloodTest.bytesOnDisk(data))
                    .as("the store (operations.md \"Disk\"): two snapshots of what waits, two snapshot intervals "
                            + "of log in whole segments and one preallocation")
                    .isLessThanOrEqualTo(2 * (HEAP / 4) + (128L << 20) + (5L << 20));
            System.out.println("flood soak: refused=" + refused + " waiting=" + Quotas.size(waiting) + " disk="
                    + Quotas.size(MailboxFloodTest.bytesOnDisk(data)));
        } finally {
            clients.forEach(TestClient::close);
            loops.close();
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static String get(InetSocketAddress a, String path) throws Exception {
        try (Socket s = new Socket(a.getAddress(), a.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static long sample(String metrics, String name) {
        return metrics.lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .map(l -> Long.parseLong(l.substring(name.length() + 1))).orElseThrow(() -> new AssertionError(name));
    }
}
