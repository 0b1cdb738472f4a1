package crumbhub.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time that a test moves by hand: a monotonic nanosecond reading ({@link #nanoTime()}, to pass as
 * {@code time::nanoTime} wherever production code takes a {@code NanoClock}) and a wall clock
 * ({@link #clock()}) that move together. Thread-safe, so the thread under test may read it while
 * the test advances it. Starts at an arbitrary large nanosecond value, so code that wrongly
 * compares readings with {@code <} instead of subtracting shows up.
 */
public final class ManualTime {

    private final AtomicLong nanos = new AtomicLong(Long.MAX_VALUE - Duration.ofDays(1).toNanos());
    private final long startNanos = nanos.get();
    private final Instant start;

    public ManualTime() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    public ManualTime(Instant start) {
        this.start = start;
    }

    /** The current reading; only differences mean anything (like {@link System#nanoTime()}). */
    public long nanoTime() {
        return nanos.get();
    }

    /** Moves time forward by {@code d}. */
    public void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("time only moves forward: " + d);
        }
        nanos.addAndGet(d.toNanos());
    }

    /** The wall-clock instant matching the current reading. */
    public Instant instant() {
        return start.plusNanos(nanos.get() - startNanos);
    }

    /** A {@link Clock} in UTC that follows this time. */
    public Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException("a manual clock is always UTC");
            }

            @Override
            public Instant instant() {
                return ManualTime.this.instant();
            }
        };
    }
}
