package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.testkit.Await;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the server while a client sends a stream of messages and another listens live:
 * every message whose {@code send} exited 0 is delivered exactly once after restarts, one whose
 * {@code send} failed at most once (it may have been pushed before its record was durable, then
 * lost, then retried with the same id under a new seq), and the store reopens cleanly each time.
 */
class CrashRecoveryTest {
    private static final long SEED = Long.getLong("crumbhub.seed", 20261126L);
    private static final int KILLS = Integer.getInteger("crumbhub.crash.kills", 3);

    @Test
    void everyAcknowledgedMessageSurvivesKillDashNineExactlyOnce(@TempDir Path tmp) throws Exception {
        System.out.println("CrashRecoveryTest seed=" + SEED + " kills=" + KILLS);
        SplittableRandom random = new SplittableRandom(SEED);
        Path data = tmp.resolve("data");
        ClientHome sender = new ClientHome("sender", tmp.resolve("sender"));
        ClientHome reader = new ClientHome("reader", tmp.resolve("reader"));
        ServerProcess server = ServerProcess.start(data, 0);
        int port = server.port;
        try {
            sender.register(server, "sender password");
            reader.register(server, "reader password");
            sender.ok("room", "create", "#stream");
            sender.ok("room", "invite", "#stream", "reader");
            reader.ok("room", "join", "#stream");

            // the reader listens live through the kills (pushes leave before durability), then once more
            // (on its own thread: Image drains process output on the common pool, one thread on 2 cores)
            var live = new java.util.concurrent.CompletableFuture<List<Map<String, Object>>>();
            Thread.ofPlatform().name("reader-live").start(() -> {
                try {
                    // a listen whose first connect lands while the server is down exits with an
                    // error (only an established session reconnects): listen again, as a user would
                    List<Map<String, Object>> shown = new ArrayList<>();
                    long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(25);
                    long left;
                    while ((left = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(end - System.nanoTime())) > 0) {
                        Image.Result r = reader.run("listen", "--json", "--count", "100000", "--timeout",
                                Long.toString(left));
                        for (String line : r.lines()) {
                            shown.add(JsonLine.parse(line));
                        }
                        if (r.exit() == 0) {
                            break;
                        }
                        // the server was killed under it: listen again at once (starting a JVM paces the retries)
                    }
                    live.complete(shown);
                } catch (Throwable t) {
                    live.completeExceptionally(t);
                }
            });
            ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
            var refused = new java.util.concurrent.atomic.AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            Thread streamer = Thread.ofPlatform().name("sender-stream").start(() -> {
                for (int i = 0; !stop.get() && i < 10_000; i++) {
                    String text = "msg-" + i;
                    String target = i % 2 == 0 ? "#stream" : "@reader";
                    if (sender.run("send", target, text).exit() == 0) {
                        acknowledged.add(text);
                    } else {
                        refused.incrementAndGet();
                    }
                }
            });
            for (int k = 0; k < KILLS; k++) {
                // each server life acknowledges a seeded random number of sends (at least one; a send
                // process may take seconds on a loaded machine), then the kill lands in the next send
                int ackedBefore = acknowledged.size();
                int acks = 1 + random.nextInt(3);
                Await.until(() -> acknowledged.size() >= ackedBefore + acks, acks + " sends acknowledged before kill "
                        + (k + 1));
                server.kill();
                // and stays down until the stream noticed: a send refused
                int refusedBefore = refused.get();
                Await.until(() -> refused.get() > refusedBefore, "a send refused after kill " + (k + 1));
                server = ServerProcess.start(data, port);
                System.out.println("restart " + (k + 1) + ": listening after " + server.startMillis + " ms");
            }
            int ackedBefore = acknowledged.size();
            Await.until(() -> acknowledged.size() > ackedBefore, "a send acknowledged after the last restart");
            stop.set(true);
            streamer.join(120_000);
            assertThat(streamer.isAlive()).isFalse();
            assertThat(acknowledged).as("some sends must have succeeded").hasSizeGreaterThan(KILLS);

            // one more crash after the stream: the store must reopen cleanly again
            server.kill();
            server = ServerProcess.start(data, port);

            List<Map<String, Object>> got = new ArrayList<>(live.get(60, java.util.concurrent.TimeUnit.SECONDS));
            int shownLive = got.size();
            got.addAll(reader.listenJson(100_000, 10));
            Map<String, Integer> seen = new HashMap<>();
            for (Map<String, Object> m : got) {
                seen.merge((String) m.get("text"), 1, Integer::sum);
            }
            List<String> duplicates = new ArrayList<>();
            seen.forEach((text, n) -> {
                if (n > 1) {
                    duplicates.add(text);
                }
            });
            assertThat(duplicates).as("delivered more than once (acknowledged or not)").isEmpty();
            assertThat(seen.keySet()).as("every acknowledged message is delivered")
                    .containsAll(acknowledged);
            System.out.println("acknowledged=" + acknowledged.size() + " delivered=" + got.size() + " (live "
                    + shownLive + ")");
            assertThat(reader.listenJson(100, 2)).as("nothing is delivered twice across listens").isEmpty();
        } finally {
            server.close();
        }
    }
}
