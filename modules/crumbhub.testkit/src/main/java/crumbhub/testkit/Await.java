package crumbhub.testkit;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a state that another thread or process brings about, with a deadline: the one
 * poll-until-deadline loop of the test suites. A test never sleeps for a fixed time to "let
 * something happen"; it awaits the state it needs and fails with a message naming it when the
 * deadline passes. Deadlines are generous (they bound a hang, they do not measure speed), so a
 * loaded machine slows a test down instead of failing it.
 *
 * <pre>{@code
 * Await.until(() -> server.sessions() == 2, "both clients logged in");
 * var line = Await.value(() -> Optional.ofNullable(out.poll()), "a delivery");
 * }</pre>
 */
public final class Await {

    /** The deadline when a test names none: long enough for a loaded CI machine, short enough to end a hang. */
    public static final Duration DEFAULT = Duration.ofSeconds(30);

    /** Between two polls: short against a test's run time, long enough not to steal a core. */
    private static final long POLL_NANOS = Duration.ofMillis(5).toNanos();

    private Await() {}

    /** Waits until {@code condition} holds, at most {@link #DEFAULT}. */
    public static void until(BooleanSupplier condition, String what) {
        until(condition, DEFAULT, what);
    }

    /** Waits until {@code condition} holds, at most {@code timeout}; throws AssertionError naming {@code what} after that. */
    public static void until(BooleanSupplier condition, Duration timeout, String what) {
        value(() -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty(), timeout, what);
    }

    /** Waits until {@code probe} yields a value and returns it, at most {@link #DEFAULT}. */
    public static <T> T value(Supplier<Optional<T>> probe, String what) {
        return value(probe, DEFAULT, what);
    }

    /** Waits until {@code probe} yields a value and returns it, at most {@code timeout}. */
    public static <T> T value(Supplier<Optional<T>> probe, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> v = probe.get();
            if (v.isPresent()) {
                return v.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            pause();
        }
    }

    /**
     * Waits until {@code attempt} returns without throwing (an assertion that is not true yet, or a
     * connection that is not up yet), at most {@code timeout}; after that rethrows its last failure
     * wrapped in an AssertionError naming {@code what}.
     */
    public static <T> T succeeds(Callable<T> attempt, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return attempt.call();
            } catch (Exception | AssertionError e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what, e);
                }
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(Duration.ofNanos(POLL_NANOS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
