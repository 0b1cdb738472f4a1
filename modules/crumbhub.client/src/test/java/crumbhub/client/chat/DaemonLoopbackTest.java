package crumbhub.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.daemon.Daemon;

import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's JSON-lines interface against the real server in-process, the test playing the bot. */
class DaemonLoopbackTest {
    @TempDir
    Path tmp;


    @Test
    void aBotSendsReceivesAndGetsOneReplyPerRequestLineThenExitsZeroAtEndOfInput() throws Exception {
        try (var server = new LiveServer(tmp.resolve("data"))) {
            server.register(tmp.resolve("robo"), "robo");
            server.register(tmp.resolve("bob"), "bob");
            var stdin = new PipedOutputStream();
            var in = new PipedInputStream(stdin, 1 << 16);
            var out = new DaemonLines(Duration.ofSeconds(10));
            try (var bot = new Account(tmp.resolve("robo"))) {
                var daemon = new Daemon(new PrintStream(out, true, StandardCharsets.UTF_8), Clock.systemUTC(),
                        new SecureRandom(), Duration.ofSeconds(5), bot::engine);
                var exit = CompletableFuture.supplyAsync(() -> {
                    try {
                        return daemon.run(in);
                    } catch (InterruptedException e) {
                        return -1;
                    }
                });
                var requests = new PrintStream(stdin, true, StandardCharsets.UTF_8);
                out.next("\"state\":\"connected\"");
                requests.println("{\"id\":1,\"op\":\"join\",\"room\":\"#bots\"}");
                assertThat(out.next("\"id\":1")).isEqualTo("{\"id\":1,\"ok\":true,\"room\":\"#bots\",\"created\":true}");
                requests.println("{\"id\":\"inv\",\"op\":\"invite\",\"room\":\"#bots\",\"user\":\"bob\"}");
                assertThat(out.next("\"inv\"")).isEqualTo("{\"id\":\"inv\",\"ok\":true}");
                server.run(tmp.resolve("bob"), "", "room", "join", "#bots");
                server.run(tmp.resolve("bob"), "", "send", "#bots", "ping me");

                String message = out.next("\"event\":\"message\"");
                assertThat(message).startsWith("{\"event\":\"message\",\"room\":\"#bots\",\"from\":\"bob\",\"text\":\"ping me\",\"id\":\"")
                        .matches(".*\"seq\":\\d+,\"device\":1,\"type\":\"message\"}");
                requests.println("{\"id\":2,\"op\":\"send\",\"to\":\"#bots\",\"text\":\"pong: ping me\"}");
                assertThat(out.next("\"id\":2")).matches("\\{\"id\":2,\"ok\":true,\"msgid\":\"[0-9a-f]{32}\",\"seq\":\\d+,"
                        + "\"ts\":\"[0-9T:.-]+Z\"}");
                assertThat(server.run(tmp.resolve("bob"), "", "listen", "--json", "--timeout", "1"))
                        .contains("\"from\":\"robo\",\"text\":\"pong: ping me\"");

                requests.println("{\"id\":3,\"op\":\"members\",\"room\":\"#bots\"}");
                assertThat(out.next("\"id\":3")).isEqualTo("{\"id\":3,\"ok\":true,\"room\":\"#bots\",\"members\":["
                        + "{\"user\":\"robo\",\"role\":\"owner\"},{\"user\":\"bob\",\"role\":\"member\"}]}");
                requests.println("{\"id\":4,\"op\":\"verify\",\"user\":\"bob\"}");
                assertThat(out.next("\"id\":4")).matches("\\{\"id\":4,\"ok\":true,\"user\":\"bob\","
                        + "\"safety_number\":\"[0-9]{5}( [0-9]{5}){11}\",\"verified\":false,\"changed\":false}");
                requests.println("{\"id\":5,\"op\":\"send\",\"to\":\"#elsewhere\",\"text\":\"x\"}");
                assertThat(out.next("\"id\":5")).contains("\"ok\":false,\"error\":\"not_member\"");
                requests.println("{\"id\":6,\"op\":");
                assertThat(out.next("parse_error")).startsWith("{\"id\":null,\"ok\":false,\"error\":\"parse_error\"");
                requests.println("{\"id\":7,\"op\":\"ping\"}");
                assertThat(out.next("\"id\":7")).isEqualTo("{\"id\":7,\"ok\":true,\"connected\":true}");
                requests.println("{\"id\":8,\"op\":\"send\",\"to\":\"@bob\",\"text\":\"last words\"}");
                stdin.close();
                assertThat(exit.get(15, TimeUnit.SECONDS)).isZero();
                assertThat(String.join("\n", out.lines)).contains("\"id\":8,\"ok\":true");
            }
            assertThat(server.run(tmp.resolve("bob"), "", "listen", "--json", "--timeout", "1")).contains("last words");
        }
    }

    @Test
    void aDeviceThatJoinsTheAccountIsAnnouncedAtOnceAsPending() throws Exception {
        try (var server = new LiveServer(tmp.resolve("data"))) {
            server.register(tmp.resolve("robo"), "robo");
            var stdin = new PipedOutputStream();
            var in = new PipedInputStream(stdin, 1 << 16);
            var out = new DaemonLines(Duration.ofSeconds(10));
            try (var bot = new Account(tmp.resolve("robo"))) {
                var daemon = new Daemon(new PrintStream(out, true, StandardCharsets.UTF_8), Clock.systemUTC(),
                        new SecureRandom(), Duration.ofSeconds(5), bot::engine);
                var exit = CompletableFuture.supplyAsync(() -> {
                    try {
                        return daemon.run(in);
                    } catch (InterruptedException e) {
                        return -1;
                    }
                });
                out.next("\"state\":\"connected\"");
                String login = server.run(tmp.resolve("robo-phone"), "password of robo\n", "login", server.address(),
                        "robo", "--password-stdin");
                assertThat(login).contains("device 2 is PENDING");
                assertThat(out.next("PENDING device 2")).startsWith("{\"event\":\"warning\"")
                        .contains("devices approve 2 --code");
                stdin.close();
                assertThat(exit.get(15, TimeUnit.SECONDS)).isZero();
            }
        }
    }
}

