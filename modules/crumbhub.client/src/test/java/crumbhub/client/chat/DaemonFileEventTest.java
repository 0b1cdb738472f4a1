package crumbhub.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.daemon.Daemon;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file sent to a bot arrives on the daemon's output as an {@code "event":"file"} line (docs/client.md "Files"). */
class DaemonFileEventTest {
    @TempDir
    Path tmp;


    @Test
    void aFileArrivesAsAFileEventWithItsIdNameAndSize() throws Exception {
        try (var server = new LiveServer(tmp.resolve("data"))) {
            server.register(tmp.resolve("robo"), "robo");
            server.register(tmp.resolve("bob"), "bob");
            var stdin = new PipedOutputStream();
            var in = new PipedInputStream(stdin, 1 << 16);
            var out = new DaemonLines(Duration.ofSeconds(30));
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
                Path file = Files.writeString(tmp.resolve("notes.txt"), "for the bot\n");
                server.run(tmp.resolve("bob"), "", "send-file", "@robo", file.toString());
                String line = out.next("\"event\":\"file\"");
                assertThat(line).startsWith("{\"event\":\"file\",\"type\":\"file\",\"room\":\"@bob\",\"from\":\"bob\",\"file\":\"")
                        .contains("\"name\":\"notes.txt\"", "\"size\":12");
                stdin.close();
                assertThat(exit.get()).isZero();
            }
        }
    }
}
