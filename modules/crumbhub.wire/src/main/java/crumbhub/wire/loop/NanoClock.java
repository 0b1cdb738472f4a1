package crumbhub.wire.loop;

/**
 * A monotonic nanosecond time source for timers and timeouts. Injected so tests can move time;
 * only differences between readings mean anything (like {@link System#nanoTime()}).
 */
@FunctionalInterface
public interface NanoClock {
    /** The system's monotonic clock. */
    NanoClock SYSTEM = System::nanoTime;

    long nanoTime();
}
