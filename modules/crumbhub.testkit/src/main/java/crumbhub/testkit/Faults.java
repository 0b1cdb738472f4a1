package crumbhub.testkit;

import java.time.Duration;

/**
 * What a {@link FaultProxy} does to the bytes of one connection: an immutable set of faults,
 * built from {@link #NONE} with the {@code with…} methods and handed to
 * {@link FaultProxy#faults(Faults)} (every connection, and the ones still to come) or to
 * {@link FaultProxy.Link#faults(Faults)} (one connection). "Up" is client to target, "down"
 * target to client.
 *
 * @param latency         added to every chunk of bytes in both directions
 * @param jitter          a uniformly random extra delay in {@code [0, jitter)} per chunk; order is kept
 * @param bytesPerSecond  each direction's bandwidth; 0 means unlimited
 * @param cutAfterBytes   the connection is closed (FIN both ways) after this many more bytes went
 *                        through in both directions together, counted from when the faults were set;
 *                        -1 means never
 * @param blackHoleUp     bytes from the client are read and dropped; the connection stays open (half-open)
 * @param blackHoleDown   bytes from the target are read and dropped
 * @param slowClose       when one side closes its output, the other side sees it only this much later
 */
public record Faults(Duration latency, Duration jitter, long bytesPerSecond, long cutAfterBytes, boolean blackHoleUp,
        boolean blackHoleDown, Duration slowClose) {

    /** A perfect connection. */
    public static final Faults NONE = new Faults(Duration.ZERO, Duration.ZERO, 0, -1, false, false, Duration.ZERO);

    public Faults {
        if (latency.isNegative() || jitter.isNegative() || slowClose.isNegative() || bytesPerSecond < 0
                || cutAfterBytes < -1) {
            throw new IllegalArgumentException("faults out of range: " + latency + " " + jitter + " " + bytesPerSecond
                    + " " + cutAfterBytes + " " + slowClose);
        }
    }

    public Faults withLatency(Duration latency, Duration jitter) {
        return new Faults(latency, jitter, bytesPerSecond, cutAfterBytes, blackHoleUp, blackHoleDown, slowClose);
    }

    public Faults withBandwidth(long bytesPerSecond) {
        return new Faults(latency, jitter, bytesPerSecond, cutAfterBytes, blackHoleUp, blackHoleDown, slowClose);
    }

    public Faults withCutAfter(long bytes) {
        return new Faults(latency, jitter, bytesPerSecond, bytes, blackHoleUp, blackHoleDown, slowClose);
    }

    public Faults withBlackHole(boolean up, boolean down) {
        return new Faults(latency, jitter, bytesPerSecond, cutAfterBytes, up, down, slowClose);
    }

    public Faults withSlowClose(Duration delay) {
        return new Faults(latency, jitter, bytesPerSecond, cutAfterBytes, blackHoleUp, blackHoleDown, delay);
    }
}
