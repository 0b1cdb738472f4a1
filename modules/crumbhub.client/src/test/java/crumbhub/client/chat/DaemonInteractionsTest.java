package crumbhub.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.daemon.Daemon;
import crumbhub.testkit.Await;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's {@code react}, {@code edit}, {@code delete} and {@code send} with {@code reply_to}, against the real server. */
class DaemonInteractionsTest {
    @TempDir
    Path tmp;


    /** robo's daemon, with its history, on piped standard input: the test writes its requests. */
    private static final class Bot implements AutoCloseable {
        final DaemonLines out = new DaemonLines(Duration.ofSeconds(20));
        final PipedOutputStream stdin = new PipedOutputStream();
        final PrintStream requests = new PrintStream(stdin, true, StandardCharsets.UTF_8);
        final Account account;
        final HistoryStore history;
        final CompletableFuture<Integer> exit;

        /** Starts robo's daemon from the home {@code tmp/robo} and waits until it is connected. */
        Bot(Path tmp) throws java.io.IOException {
            var in = new PipedInputStream(stdin, 1 << 16);
            account = new Account(tmp.resolve("robo"));
            history = HistoryStore.open(tmp.resolve("robo-history"), new byte[32], "robo", account.rng, 1000);
            var daemon = new Daemon(new PrintStream(out, true, StandardCharsets.UTF_8), Clock.systemUTC(),
                    new SecureRandom(), Duration.ofSeconds(5), new HistoryRecorder(history, "robo"), account::engine);
            exit = CompletableFuture.supplyAsync(() -> {
                try {
                    return daemon.run(in);
                } catch (InterruptedException e) {
                    return -1;
                }
            });
            out.next("\"state\":\"connected\"");
        }

        @Override
        public void close() {
            history.close();
            account.close();
        }
    }

    private static String field(String json, String name) {
        var m = Pattern.compile("\"" + name + "\":\"([0-9a-f]{32})\"").matcher(json);
        assertThat(m.find()).as(json).isTrue();
        return m.group(1);
    }

    @Test
    void aBotReactsRepliesAndSeesEditsAndDeletesButCannotEditOthersMessages() throws Exception {
        try (var server = new LiveServer(tmp.resolve("data"))) {
            server.register(tmp.resolve("robo"), "robo");
            server.register(tmp.resolve("bob"), "bob");
            try (var bot = new Bot(tmp)) {
                var out = bot.out;
                var requests = bot.requests;
                var history = bot.history;
                requests.println("{\"id\":1,\"op\":\"join\",\"room\":\"#bots\"}");
                out.next("\"id\":1,\"ok\":true");
                requests.println("{\"id\":2,\"op\":\"invite\",\"room\":\"#bots\",\"user\":\"bob\"}");
                out.next("\"id\":2,\"ok\":true");
                server.run(tmp.resolve("bob"), "", "room", "join", "#bots");
                server.run(tmp.resolve("bob"), "", "send", "#bots", "ping");
                String ping = field(out.next("\"text\":\"ping\""), "id");

                requests.println("{\"id\":3,\"op\":\"react\",\"message\":\"" + ping + "\",\"emoji\":\"+1\"}");
                assertThat(out.next("\"id\":3")).contains("\"ok\":true").contains("\"msgid\":\"");
                requests.println("{\"id\":4,\"op\":\"send\",\"to\":\"#bots\",\"text\":\"pong\",\"reply_to\":\"" + ping + "\"}");
                assertThat(out.next("\"id\":4")).contains("\"ok\":true");
                requests.println("{\"id\":5,\"op\":\"edit\",\"message\":\"" + ping + "\",\"text\":\"hijacked\"}");
                assertThat(out.next("\"id\":5")).contains("\"ok\":false").contains("only the author edits or deletes");

                String seen = server.run(tmp.resolve("bob"), "", "listen", "--json", "--count", "2", "--timeout", "20");
                assertThat(seen).contains("\"emoji\":\"+1\"").contains("\"reply_to\":\"" + ping + "\"")
                        .doesNotContain("hijacked");

                server.run(tmp.resolve("bob"), "", "edit", ping, "ping", "again");
                assertThat(out.next("\"type\":\"edit\"")).startsWith("{\"event\":\"message\"")
                        .contains("\"ref\":\"" + ping + "\"").contains("\"text\":\"ping again\"");
                server.run(tmp.resolve("bob"), "", "delete", ping);
                assertThat(out.next("\"type\":\"delete\"")).contains("\"ref\":\"" + ping + "\"");

                bot.stdin.close();
                assertThat(bot.exit.get(20, TimeUnit.SECONDS)).isZero();
                assertThat(history.search("ping", Optional.empty(), 10)).as("gone from the bot's history").isEmpty();
                assertThat(history.search("pong", Optional.empty(), 10)).hasSize(1);
            }
        }
    }

    /**
     * A delete by the daemon also takes the message back from the server (RETRACT), as the
     * {@code delete} command does: bob, who was away, never gets the text. Before, only the command
     * retracted, and bob got the message and then its delete.
     */
    @Test
    void aDeleteByTheDaemonTakesTheMessageBackFromTheServer() throws Exception {
        try (var server = new LiveServer(tmp.resolve("data"))) {
            server.register(tmp.resolve("robo"), "robo");
            server.register(tmp.resolve("bob"), "bob");
            try (var bot = new Bot(tmp)) {
                var out = bot.out;
                var requests = bot.requests;
                requests.println("{\"id\":1,\"op\":\"send\",\"to\":\"@bob\",\"text\":\"sent by mistake\"}");
                String sent = field(out.next("\"id\":1"), "msgid");
                requests.println("{\"id\":2,\"op\":\"delete\",\"message\":\"" + sent + "\"}");
                assertThat(out.next("\"id\":2")).contains("\"ok\":true");
                // the retract follows the delete on the daemon's connection: wait for the server to drop it
                // (two messages went to bob, the text and its delete; the text is retracted)
                Await.until(() -> server.messagesWaiting() == 1, "the server dropped the deleted message");
                bot.stdin.close();
                assertThat(bot.exit.get(20, TimeUnit.SECONDS)).isZero();
            }
            String seen = server.run(tmp.resolve("bob"), "", "listen", "--json", "--timeout", "3");
            assertThat(seen).doesNotContain("sent by mistake");
        }
    }
}
