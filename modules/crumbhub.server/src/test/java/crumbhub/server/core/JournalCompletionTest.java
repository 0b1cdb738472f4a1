package crumbhub.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.server.domain.State;
import crumbhub.testkit.Await;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The store's outcomes reach the core as one task per group commit, in append order. */
class JournalCompletionTest {

    private static final long TIMEOUT_SECONDS = 10;

    @Test
    void aGroupCommitsOutcomesReachTheCoreAsOneTaskInAppendOrder() throws Exception {
        var log = new ManualLog(false);
        try (var core = new CoreExecutor("journal-test-core", 100)) {
            var journal = new Journal(log, core, new State(), 1 << 20, () -> { });
            var order = new CopyOnWriteArrayList<Integer>();
            onCore(core, () -> {
                for (int i = 0; i < 10; i++) {
                    int n = i;
                    journal.accept(Journal.PROBE);
                    journal.afterDurable(() -> order.add(n), () -> order.add(-n));
                }
            });
            awaitPending(log, 10);

            var release = new CountDownLatch(1);
            var blocked = new CountDownLatch(1);
            core.execute(() -> {
                blocked.countDown();
                await(release);
            });
            assertThat(blocked.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
            log.flush(); // ten callbacks back to back, as after one force
            assertThat(core.queued()).as("core tasks for ten outcomes").isEqualTo(1);
            release.countDown();

            onCore(core, () -> { });
            assertThat(order).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            onCore(core, () -> assertThat(journal.inFlight()).isZero());
        }
    }

    @Test
    void anOutcomeReportedWhileTheCoreDrainsIsNotLost() throws Exception {
        var log = new ManualLog(false);
        try (var core = new CoreExecutor("journal-test-core", 100)) {
            var journal = new Journal(log, core, new State(), 1 << 20, () -> { });
            var done = new CountDownLatch(200);
            for (int round = 0; round < 200; round++) {
                onCore(core, () -> {
                    journal.accept(Journal.PROBE);
                    journal.afterDurable(done::countDown, () -> { });
                });
                awaitPending(log, 1);
                log.flush();
            }
            assertThat(done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
            onCore(core, () -> assertThat(journal.inFlight()).isZero());
        }
    }

    /**
     * Waits until the log holds {@code n} records: the journal hands them over after the core's
     * flush, which follows the task that appended them.
     */
    private static void awaitPending(ManualLog log, int n) {
        Await.until(() -> log.pendingCount() >= n, n + " records handed to the log");
        assertThat(log.pendingCount()).isEqualTo(n);
    }

    /** Runs {@code task} on the core and waits for it; rethrows what it threw. */
    private static void onCore(CoreExecutor core, Runnable task) throws Exception {
        var failure = new CopyOnWriteArrayList<Throwable>();
        var done = new CountDownLatch(1);
        core.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException | AssertionError e) {
                failure.add(e);
            } finally {
                done.countDown();
            }
        });
        assertThat(done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        for (Throwable t : List.copyOf(failure)) {
            throw new AssertionError(t);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
