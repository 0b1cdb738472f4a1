package crumbhub.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.wire.loop.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Work an event loop hands to the core during one tick reaches it together, at the end of the tick. */
class CoreExecutorLoopTest {

    private static final long TIMEOUT_SECONDS = 10;

    private EventLoop loop;
    private CoreExecutor core;

    @BeforeEach
    void start() {
        loop = new EventLoop("core-loop-test");
        core = new CoreExecutor("core-loop-test-core", 100);
    }

    @AfterEach
    void stop() throws Exception {
        core.close();
        loop.shutdownGracefully().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void whatALoopTickHandsOverRunsOnlyAfterTheTickEndsAndInCallOrder() throws Exception {
        var ran = new CopyOnWriteArrayList<String>();
        var coreRan = new CountDownLatch(4);
        List<String> seenDuringTick = onLoop(() -> {
            core.offer(() -> { ran.add("a"); coreRan.countDown(); }, loop);
            core.execute(() -> { ran.add("b"); coreRan.countDown(); }, loop);
            core.offer(() -> { ran.add("c"); coreRan.countDown(); }, loop);
            core.execute(() -> { ran.add("d"); coreRan.countDown(); }, loop);
            // the core is idle: without the hand-over at the end of the tick it would run "a" now
            sleepMillis(200);
            return List.copyOf(ran);
        });
        assertThat(seenDuringTick).isEmpty();
        assertThat(coreRan.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly("a", "b", "c", "d");
    }

    @Test
    void aTaskThatThrowsDoesNotStopTheOthersOfItsTick() throws Exception {
        var ran = new CopyOnWriteArrayList<String>();
        var done = new CountDownLatch(1);
        onLoop(() -> {
            core.offer(() -> ran.add("first"), loop);
            core.offer(() -> { throw new IllegalStateException("a bad request"); }, loop);
            core.offer(() -> { ran.add("last"); done.countDown(); }, loop);
            return null;
        });
        assertThat(done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly("first", "last");
    }

    @Test
    void anErrorGoesToTheFatalHandlerAndTheCoreStopsTakingWork() throws Exception {
        var reported = new CompletableFuture<String>();
        var doomed = new CoreExecutor("core-fatal-test", 100,
                (thread, error) -> reported.complete(thread.getName() + " " + error.getMessage()));
        try {
            var ranAfter = new java.util.concurrent.atomic.AtomicBoolean();
            onLoop(() -> {
                doomed.offer(() -> { throw new InternalError("deliberate test error"); }, loop);
                doomed.offer(() -> ranAfter.set(true), loop);
                return null;
            });
            assertThat(reported.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo("core-fatal-test deliberate test error");
            assertThat(doomed.offer(() -> ranAfter.set(true))).as("offer after the error").isFalse();
            assertThat(doomed.shutdown(java.time.Duration.ofSeconds(TIMEOUT_SECONDS))).as("core thread ended").isTrue();
            assertThat(ranAfter).as("work behind the error").isFalse();
        } finally {
            doomed.close();
        }
    }

    @Test
    void theBoundOnOutsideWorkHoldsForWorkHeldInATick() throws Exception {
        var small = new CoreExecutor("core-loop-test-small", 3);
        try {
            List<Boolean> admitted = onLoop(() -> {
                var answers = new ArrayList<Boolean>();
                for (int i = 0; i < 5; i++) {
                    answers.add(small.offer(() -> { }, loop));
                }
                return answers;
            });
            assertThat(admitted).containsExactly(true, true, true, false, false);
            // once run, the admitted work no longer counts against the bound
            var after = new CompletableFuture<Boolean>();
            var idle = new CountDownLatch(1);
            onLoop(() -> {
                small.execute(idle::countDown, loop); // after the batch of the tick above
                return null;
            });
            assertThat(idle.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
            loop.execute(() -> after.complete(small.offer(() -> { }, loop)));
            assertThat(after.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        } finally {
            small.close();
        }
    }

    @Test
    void fromAnotherThreadTheLoopIsIgnoredAndWorkGoesStraightIn() throws Exception {
        var done = new CountDownLatch(2);
        assertThat(core.offer(done::countDown, loop)).isTrue();
        core.execute(done::countDown, loop);
        assertThat(done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    private <T> T onLoop(Supplier<T> work) throws Exception {
        var result = new CompletableFuture<T>();
        loop.execute(() -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
