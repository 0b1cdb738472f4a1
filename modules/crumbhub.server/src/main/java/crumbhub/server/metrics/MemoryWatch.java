package crumbhub.server.metrics;

import crumbhub.server.domain.Quotas;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Memory pressure for {@code /health} and {@code /metrics} (docs/operations.md "Memory"): the heap
 * still in use after the last garbage collection, against the heap's maximum. Heap in use before a
 * collection says nothing (garbage fills it by design); what survives a collection is what the
 * server really holds. Above {@link #PRESSURE} of the maximum the server is degraded: it works, but
 * a little more may end it with an {@code OutOfMemoryError} (the launcher's
 * {@code -XX:+ExitOnOutOfMemoryError}).
 *
 * <p>Reads the JVM's memory pool beans on each call (microseconds); thread-safe.
 */
public final class MemoryWatch {
    /**
     * 90% of the heap still live after a collection: the collector then runs back to back and a
     * burst of requests may not fit. The quotas keep waiting messages to a quarter of the heap by default,
     * so a server reaching this holds far more than messages.
     */
    public static final double PRESSURE = 0.90;

    private final LongSupplier usedAfterGc;
    private final long max;
    private final double pressure;

    /** @param usedAfterGc heap bytes in use after the last collection; {@code max} the heap's maximum */
    public MemoryWatch(LongSupplier usedAfterGc, long max, double pressure) {
        if (max < 1 || pressure <= 0 || pressure > 1) {
            throw new IllegalArgumentException("max must be positive and pressure in (0, 1]");
        }
        this.usedAfterGc = usedAfterGc;
        this.max = max;
        this.pressure = pressure;
    }

    /** This JVM's heap, degraded above {@link #PRESSURE}. */
    public static MemoryWatch jvm() {
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported())
                .toList();
        return new MemoryWatch(() -> {
            long used = 0;
            for (MemoryPoolMXBean p : heap) {
                MemoryUsage u = p.getCollectionUsage();
                if (u != null) {
                    used += u.getUsed();
                }
            }
            return used;
        }, Runtime.getRuntime().maxMemory(), PRESSURE);
    }

    /** Heap bytes in use after the last collection (0 before the first). */
    public long usedAfterGc() {
        return usedAfterGc.getAsLong();
    }

    public long max() {
        return max;
    }

    /** Whether the heap live after the last collection is above the pressure threshold. */
    public boolean underPressure() {
        return usedAfterGc() > (long) (max * pressure);
    }

    /** The health line's reason while under pressure, else null. */
    public String problem() {
        long used = usedAfterGc();
        if (used <= (long) (max * pressure)) {
            return null;
        }
        return "degraded: memory pressure: " + Quotas.size(used) + " of the " + Quotas.size(max)
                + " heap still in use after garbage collection (" + Math.round(100.0 * used / max) + "%)";
    }
}
