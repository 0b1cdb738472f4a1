package crumbhub.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.testkit.Await;
import crumbhub.testkit.ManualTime;
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
        var manual = CoreExecutor.manual("core-loop-test-manual", 100, new ManualTime()::nanoTime);
        var ran = new ArrayList<String>();
        int queuedDuringTick = onLoop(() -> {
            manual.offer(() -> ran.add("a"), loop);
            manual.execute(() -> ran.add("b"), loop);
            manual.offer(() -> ran.add("c"), loop);
            manual.execute(() -> ran.add("d"), loop);
            return manual.queued();
        });
        assertThat(queuedDuringTick).as("handed to the core during the tick").isZero();
        Await.until(() -> manual.queued() == 1, "the tick's work handed over as one task");
        manual.runUntilIdle();
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
        var doomed = new CoreExecutor("core-fatal-test", 100, crumbhub.wire.loop.NanoClock.SYSTEM,
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
}
