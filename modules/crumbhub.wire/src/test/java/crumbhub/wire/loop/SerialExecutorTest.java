package crumbhub.wire.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.testkit.ManualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {
    private final ManualTime time = new ManualTime();
    private final List<String> ran = new ArrayList<>();

    private SerialExecutor manual() {
        return SerialExecutor.manual("manual-test", time::nanoTime, SerialExecutor.NO_HOOKS);
    }

    @Test
    void aManualExecutorRunsTasksOnlyWhenAskedAndInOrder() {
        var e = manual();
        e.execute(() -> ran.add("a"));
        e.execute(() -> {
            ran.add("b");
            e.execute(() -> ran.add("c")); // queued by a task: runs in the same run
        });
        assertThat(ran).isEmpty();
        assertThat(e.runUntilIdle()).isEqualTo(3);
        assertThat(ran).containsExactly("a", "b", "c");
    }

    @Test
    void timersRunWhenTheClockReachesTheirDeadlineNeverEarly() {
        var e = manual();
        e.schedule(Duration.ofMillis(60), () -> ran.add("60"));
        e.schedule(Duration.ofMillis(20), () -> ran.add("20"));
        e.runUntilIdle();
        assertThat(e.nanosToNextTimer()).isEqualTo(Duration.ofMillis(20).toNanos());
        time.advance(Duration.ofMillis(19));
        e.runUntilIdle();
        assertThat(ran).isEmpty();
        time.advance(Duration.ofMillis(1));
        e.runUntilIdle();
        assertThat(ran).containsExactly("20");
        time.advance(Duration.ofMillis(40));
        e.runUntilIdle();
        assertThat(ran).containsExactly("20", "60");
        assertThat(e.nanosToNextTimer()).isEqualTo(-1);
    }

    @Test
    void aRepeatingTimerRunsEveryPeriodUntilCancelled() {
        var e = manual();
        Cancellable every = e.every(Duration.ofSeconds(1), () -> ran.add("tick"));
        for (int i = 0; i < 3; i++) {
            time.advance(Duration.ofSeconds(1));
            e.runUntilIdle();
        }
        assertThat(ran).hasSize(3);
        assertThat(every.cancel()).isTrue();
        time.advance(Duration.ofSeconds(5));
        e.runUntilIdle();
        assertThat(ran).hasSize(3);
    }

    @Test
    void aTaskThatThrowsAnExceptionIsLoggedAndTheOthersRun() {
        var e = manual();
        e.execute(() -> {
            throw new IllegalStateException("deliberate test failure");
        });
        e.execute(() -> ran.add("after"));
        e.runUntilIdle();
        assertThat(ran).containsExactly("after");
    }

    @Test
    void hooksSurroundEveryTaskAndMarkIdle() {
        var e = SerialExecutor.manual("hooks-test", time::nanoTime, new SerialExecutor.Hooks() {
            @Override
            public void enter() {
                ran.add("enter");
            }

            @Override
            public void afterTask(Runnable task) {
                ran.add("after");
            }

            @Override
            public void idle() {
                ran.add("idle");
            }

            @Override
            public void exit() {
                ran.add("exit");
            }
        });
        e.execute(() -> ran.add("task"));
        e.runUntilIdle();
        assertThat(ran).containsExactly("enter", "task", "after", "idle", "exit");
    }

    @Test
    void aThreadedExecutorRunsTimersOnItsThreadAndStopsOnShutdown() throws Exception {
        var e = SerialExecutor.start("threaded-test", NanoClock.SYSTEM, SerialExecutor.NO_HOOKS, FatalErrors.STOP_THREAD);
        var onThread = new CompletableFuture<Boolean>();
        e.schedule(Duration.ZERO, () -> onThread.complete(e.inExecutor()));
        assertThat(onThread.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(e.inExecutor()).isFalse();
        var queued = Collections.synchronizedList(new ArrayList<String>());
        e.execute(() -> queued.add("before shutdown"));
        assertThat(e.shutdown(Duration.ofSeconds(10))).isTrue();
        assertThat(queued).containsExactly("before shutdown");
        assertThat(e.isShutdown()).isTrue();
    }

    @Test
    void anErrorGoesToTheFatalHandlerAndStopsTheThread() throws Exception {
        var reported = new CompletableFuture<String>();
        var e = SerialExecutor.start("fatal-serial-test", NanoClock.SYSTEM, SerialExecutor.NO_HOOKS,
                (thread, error) -> reported.complete(thread.getName() + " " + error.getMessage()));
        var after = Collections.synchronizedList(new ArrayList<String>());
        e.execute(() -> {
            e.execute(() -> after.add("queued behind the error"));
            throw new InternalError("deliberate test error");
        });
        assertThat(reported.get(10, TimeUnit.SECONDS)).isEqualTo("fatal-serial-test deliberate test error");
        assertThat(e.isShutdown()).isTrue();
        assertThat(e.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(after).isEmpty();
    }

    @Test
    void aManualExecutorCannotBeRunByAThreadedOne() {
        var e = SerialExecutor.start("threaded-only", NanoClock.SYSTEM, SerialExecutor.NO_HOOKS, FatalErrors.STOP_THREAD);
        assertThatThrownBy(e::runUntilIdle).isInstanceOf(IllegalStateException.class);
        e.shutdown();
    }
}
