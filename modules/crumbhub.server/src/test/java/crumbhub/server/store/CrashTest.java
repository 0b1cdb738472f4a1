package crumbhub.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.testkit.Await;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM that is appending ({@link CrashChild}) at seeded random moments and checks
 * that every record it saw acknowledged is recovered, and that the log stays a gap-free run.
 * Replay a failure with {@code -Dcrumbhub.seed=<seed printed in the assertion>}.
 */
class CrashTest {

    private static final int ITERATIONS = 6;
    /**
     * Each child is killed once it acknowledged a seeded random number of records up to this
     * many: a few milliseconds of appending, while 256 more are in flight, so the kill lands
     * mid-write wherever the machine's speed puts it.
     */
    private static final int KILL_AFTER_ACKS = 2_000;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedRecordSurvivesTheProcessBeingKilled() throws Exception {
        long seed = Long.getLong("crumbhub.seed", 0x5EED_C0FFEEL);
        var random = new Random(seed);
        var store = dir.resolve("store");
        long expectedNext = 0;
        long totalAcked = 0;
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            var context = "seed " + seed + ", iteration " + iteration;
            var run = runAndKill(store, random.nextLong(), 1 + random.nextInt(KILL_AFTER_ACKS), context);

            assertThat(run.readyAt).as(context + ": the child recovered what the parent saw").isEqualTo(expectedNext);
            var recovered = new CrashChild.Ids();
            try (var reopened = EventStore.open(store, CrashChild.OPTIONS, recovered)) {
                assertThat(reopened.stats().nextSeq()).isEqualTo(recovered.next);
            }
            long maxAcked = run.acked.stream().mapToLong(Long::longValue).max().orElse(-1);
            assertThat(recovered.next).as(context + ": every acknowledged id (the highest is %d) is recovered",
                    maxAcked).isGreaterThan(maxAcked);
            assertThat(run.acked).as(context).allMatch(id -> id >= run.readyAt && id < recovered.next);
            System.out.printf("crash test: seed=%d iteration=%d ready_at=%d acked=%d recovered_next=%d%n",
                    seed, iteration, run.readyAt, run.acked.size(), recovered.next);
            totalAcked += run.acked.size();
            expectedNext = recovered.next;
        }
        assertThat(totalAcked).as("the children got acknowledgements before being killed").isPositive();
    }

    private record Run(long readyAt, Set<Long> acked) {
    }

    private Run runAndKill(Path store, long childSeed, int killAfterAcks, String context) throws Exception {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var stderr = dir.resolve("child-stderr.txt");
        var process = new ProcessBuilder(List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
                store.toString(), Long.toString(childSeed)))
                .redirectError(stderr.toFile())
                .start();
        var acked = ConcurrentHashMap.<Long>newKeySet();
        var readyAt = new AtomicLong(-1);
        var ready = new CountDownLatch(1);
        var reader = Thread.ofPlatform().start(() -> readLines(process, acked, readyAt, ready));
        try {
            assertThat(ready.await(30, TimeUnit.SECONDS)).as(context + ": child ready; stderr: %s",
                    (Object) readQuietly(stderr)).isTrue();
            Await.until(() -> acked.size() >= killAfterAcks || !process.isAlive(),
                    context + ": " + killAfterAcks + " acknowledgements from the child");
        } finally {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(context + ": child exited").isTrue();
            reader.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(reader.isAlive()).isFalse();
        return new Run(readyAt.get(), acked);
    }

    private static void readLines(Process process, Set<Long> acked, AtomicLong readyAt, CountDownLatch ready) {
        try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = in.readLine()) != null) {
                var parts = line.split(" ");
                if (parts.length == 3 && parts[0].equals("ack") && parts[2].equals(".")) {
                    acked.add(Long.parseLong(parts[1]));
                } else if (parts.length == 2 && parts[0].equals("ready")) {
                    readyAt.set(Long.parseLong(parts[1]));
                    ready.countDown();
                }
            }
        } catch (IOException e) {
            // The pipe breaks when the child is killed; what was read before counts.
            ready.countDown();
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
