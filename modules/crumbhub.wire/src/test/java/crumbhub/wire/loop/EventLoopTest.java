package crumbhub.wire.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.testkit.ManualTime;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventLoopTest {
    private static final long WAIT_S = 5;
    private final List<EventLoop> started = new ArrayList<>();

    private EventLoop loop(NanoClock clock) {
        EventLoop l = new EventLoop("test-loop-" + started.size(), clock);
        started.add(l);
        return l;
    }

    @AfterEach
    void shutdown() throws Exception {
        for (EventLoop l : started) {
            l.shutdownGracefully().get(WAIT_S, TimeUnit.SECONDS);
        }
    }

    /** Runs {@code r} on the loop and waits for it. */
    private static <T> T onLoop(EventLoop loop, java.util.concurrent.Callable<T> r) throws Exception {
        var f = new CompletableFuture<T>();
        loop.execute(() -> {
            try {
                f.complete(r.call());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(WAIT_S, TimeUnit.SECONDS);
    }

    @Test
    void executeRunsTasksOnTheLoopThreadInOrder() throws Exception {
        EventLoop loop = loop(NanoClock.SYSTEM);
        assertThat(loop.inLoop()).isFalse();
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        List<Boolean> inLoop = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 1000; i++) {
            int n = i;
            loop.execute(() -> {
                seen.add(n);
                inLoop.add(loop.inLoop());
            });
        }
        onLoop(loop, () -> null);
        assertThat(seen).hasSize(1000).isSorted();
        assertThat(inLoop).containsOnly(true);
    }

    @Test
    void executeFromTheLoopThreadNeverWakesTheSelector() throws Exception {
        EventLoop loop = loop(NanoClock.SYSTEM);
        onLoop(loop, () -> null);
        long before = loop.wakeupCount();
        CountDownLatch done = new CountDownLatch(100);
        onLoop(loop, () -> {
            for (int i = 0; i < 100; i++) {
                loop.execute(done::countDown);
            }
            return null;
        });
        assertThat(done.await(WAIT_S, TimeUnit.SECONDS)).isTrue();
        // onLoop itself may wake the loop once from this thread (or find a wake-up already
        // pending); the 100 in-loop executes never do, or the count would be near 100
        assertThat(loop.wakeupCount() - before).isLessThanOrEqualTo(1);
    }

    @Test
    void aThrowingTaskIsLoggedAndTheLoopKeepsRunning() throws Exception {
        EventLoop loop = loop(NanoClock.SYSTEM);
        loop.execute(() -> {
            throw new IllegalStateException("deliberate test failure");
        });
        assertThat(onLoop(loop, () -> "alive")).isEqualTo("alive");
        loop.schedule(Duration.ZERO, () -> {
            throw new IllegalStateException("deliberate timer failure");
        });
        CompletableFuture<String> after = new CompletableFuture<>();
        loop.schedule(Duration.ZERO, () -> after.complete("still alive"));
        assertThat(after.get(WAIT_S, TimeUnit.SECONDS)).isEqualTo("still alive");
    }

    @Test
    void anErrorGoesToTheFatalHandlerAndStopsTheLoop() throws Exception {
        var reported = new CompletableFuture<String>();
        var loop = new EventLoop("fatal-test-loop", NanoClock.SYSTEM,
                (thread, error) -> reported.complete(thread.getName() + " " + error.getMessage()));
        var ranAfter = new AtomicBoolean();
        loop.execute(() -> {
            loop.execute(() -> ranAfter.set(true));
            throw new InternalError("deliberate test error");
        });
        assertThat(reported.get(WAIT_S, TimeUnit.SECONDS)).isEqualTo("fatal-test-loop deliberate test error");
        assertThatThrownBy(() -> loop.terminationFuture().get(WAIT_S, TimeUnit.SECONDS))
                .hasCauseInstanceOf(InternalError.class);
        assertThat(ranAfter).as("tasks queued behind the error").isFalse();
        assertThatThrownBy(() -> loop.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void timersFireWhenTheInjectedClockReachesTheirDeadline() throws Exception {
        ManualTime clock = new ManualTime();
        EventLoop loop = loop(clock::nanoTime);
        AtomicBoolean fired = new AtomicBoolean();
        loop.schedule(Duration.ofSeconds(10), () -> fired.set(true));
        onLoop(loop, () -> null);
        clock.advance(Duration.ofSeconds(9));
        onLoop(loop, () -> null);
        assertThat(fired).isFalse();
        clock.advance(Duration.ofSeconds(1));
        // a tick may have read the clock just before the advance: the timer is due within the
        // next few ticks, each of which a round trip through onLoop forces
        for (int tick = 0; tick < 5 && !fired.get(); tick++) {
            onLoop(loop, () -> null);
        }
        assertThat(fired).isTrue();
    }

    @Test
    void timersRunInDeadlineOrderAndNeverEarly() throws Exception {
        ManualTime clock = new ManualTime();
        EventLoop loop = loop(clock::nanoTime);
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        loop.schedule(Duration.ofMillis(60), () -> order.add(60));
        loop.schedule(Duration.ofMillis(20), () -> order.add(20));
        loop.schedule(Duration.ofMillis(40), () -> order.add(40));
        clock.advance(Duration.ofMillis(19));
        onLoop(loop, () -> null);
        assertThat(order).as("none before its deadline").isEmpty();
        clock.advance(Duration.ofMillis(1));
        onLoop(loop, () -> null);
        assertThat(order).containsExactly(20);
        clock.advance(Duration.ofMillis(39));
        onLoop(loop, () -> null);
        assertThat(order).containsExactly(20, 40);
        clock.advance(Duration.ofMillis(1));
        onLoop(loop, () -> null);
        assertThat(order).containsExactly(20, 40, 60);
    }

    @Test
    void aCancelledTimerNeverRuns() throws Exception {
        ManualTime clock = new ManualTime();
        EventLoop loop = loop(clock::nanoTime);
        AtomicBoolean fired = new AtomicBoolean();
        Cancellable t = loop.schedule(Duration.ofSeconds(1), () -> fired.set(true));
        assertThat(t.cancel()).isTrue();
        assertThat(t.cancel()).isFalse();
        assertThat(t.isCancelled()).isTrue();
        clock.advance(Duration.ofSeconds(2));
        onLoop(loop, () -> null);
        assertThat(fired).isFalse();
    }

    @Test
    void manyCancelledTimersArePurgedRatherThanHoarded() throws Exception {
        ManualTime clock = new ManualTime();
        EventLoop loop = loop(clock::nanoTime);
        int size = onLoop(loop, () -> {
            for (int i = 0; i < 100_000; i++) {
                loop.schedule(Duration.ofHours(1), () -> { }).cancel();
            }
            return loop.timerCount();
        });
        assertThat(size).isLessThan(2_100);
    }

    @Test
    void endOfTickActionsRunAfterTheTasksOfTheirTick() throws Exception {
        EventLoop loop = loop(NanoClock.SYSTEM);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(1);
        loop.execute(() -> {
            loop.runAtEndOfTick(() -> {
                log.add("end");
                done.countDown();
            });
            loop.execute(() -> log.add("task"));
        });
        assertThat(done.await(WAIT_S, TimeUnit.SECONDS)).isTrue();
        assertThat(log).containsExactly("task", "end");
    }

    @Test
    void loopOnlyMethodsRefuseOtherThreads() throws IOException {
        EventLoop loop = loop(NanoClock.SYSTEM);
        try (Pipe.SourceChannel source = Pipe.open().source()) {
            source.configureBlocking(false);
            assertThatThrownBy(() -> loop.register(source, SelectionKey.OP_READ, new NoopHandler()))
                    .isInstanceOf(IllegalStateException.class);
        }
        assertThatThrownBy(() -> loop.runAtEndOfTick(() -> { })).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void readyChannelsAreHandedToTheirHandlerOnTheLoopThread() throws Exception {
        EventLoop loop = loop(NanoClock.SYSTEM);
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        CompletableFuture<String> got = new CompletableFuture<>();
        onLoop(loop, () -> loop.register(pipe.source(), SelectionKey.OP_READ, new NoopHandler() {
            @Override
            public void onSelected(int readyOps) {
                ByteBuffer b = ByteBuffer.allocate(16);
                try {
                    pipe.source().read(b);
                } catch (IOException e) {
                    got.completeExceptionally(e);
                }
                got.complete(new String(b.array(), 0, b.position()) + " inLoop=" + loop.inLoop());
            }
        }));
        pipe.sink().write(ByteBuffer.wrap("hi".getBytes()));
        assertThat(got.get(WAIT_S, TimeUnit.SECONDS)).isEqualTo("hi inLoop=true");
        pipe.sink().close();
    }

    @Test
    void shutdownReleasesChannelsDrainsQueuedTasksThenRejectsNewOnes() throws Exception {
        EventLoop loop = loop(NanoClock.SYSTEM);
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        CountDownLatch released = new CountDownLatch(1);
        onLoop(loop, () -> loop.register(pipe.source(), SelectionKey.OP_READ, new NoopHandler() {
            @Override
            public void onLoopShutdown() {
                released.countDown();
            }
        }));
        CountDownLatch queued = new CountDownLatch(1);
        loop.execute(() -> {
            loop.shutdownGracefully();
            loop.execute(queued::countDown);
        });
        loop.terminationFuture().get(WAIT_S, TimeUnit.SECONDS);
        assertThat(released.getCount()).isZero();
        assertThat(queued.getCount()).isZero();
        assertThat(pipe.source().isOpen()).isFalse();
        assertThatThrownBy(() -> loop.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
        pipe.sink().close();
    }

    @Test
    void groupHandsOutLoopsRoundRobin() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup("rr", 3)) {
            List<EventLoop> seen = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                seen.add(group.next());
            }
            assertThat(seen.subList(0, 3)).doesNotHaveDuplicates().containsExactlyElementsOf(seen.subList(3, 6));
            assertThat(group.loops()).extracting(EventLoop::name).containsExactly("rr-0", "rr-1", "rr-2");
        }
    }

    @Test
    void groupDefaultsToOneLoopPerProcessorAndShutsDownEveryLoop() throws Exception {
        EventLoopGroup group = new EventLoopGroup("cpu");
        assertThat(group.loops()).hasSize(Runtime.getRuntime().availableProcessors());
        assertThat(group.awaitTermination(Duration.ofSeconds(WAIT_S))).isTrue();
        assertThat(group.loops()).allMatch(l -> l.terminationFuture().isDone());
    }

    private static class NoopHandler implements IoHandler {
        @Override
        public void onSelected(int readyOps) {
        }

        @Override
        public void onLoopShutdown() {
        }
    }
}
