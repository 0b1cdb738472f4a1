package crumbhub.server.core;

import crumbhub.server.config.ServerOptions;
import crumbhub.server.config.ServerOptions.FreeSpace;
import crumbhub.server.domain.Quotas;
import crumbhub.wire.log.Log;
import crumbhub.wire.loop.NanoClock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The free-disk watermark (docs/operations.md "Disk"): whether the data directory's file system has
 * fallen below {@link ServerOptions#minFreeDisk()}. While it has, requests that make the store grow
 * for good (messages, rooms, invitations) are refused with {@code storage}; reads, sync, acks and
 * logins go on, so devices can still drain what is stored and free space by acknowledging it.
 *
 * <p>The free space is read at most once per {@link #PROBE_INTERVAL_NANOS} of the server's
 * monotonic clock (a {@code statvfs}, microseconds), by whichever thread asks first: the core
 * thread before a write, the metrics thread for {@code /health}. Thread-safe.
 */
final class DiskWatch {
    /** One reading a second: a disk does not fill faster than that matters, a write pays no system call. */
    static final long PROBE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Log LOG = Log.get("crumbhub.server.core");

    private final Path dir;
    private final long minFree;
    private final FreeSpace probe;
    private final NanoClock clock;
    private volatile long readAt;
    private volatile boolean read;
    private volatile long free = Long.MAX_VALUE;
    private volatile boolean low;
    private boolean probeFailing;

    DiskWatch(Path dir, long minFree, FreeSpace probe, NanoClock clock) {
        this.dir = dir;
        this.minFree = minFree;
        this.probe = probe;
        this.clock = clock;
    }

    static DiskWatch of(ServerOptions options) {
        return new DiskWatch(options.dataDir(), options.minFreeDisk(), options.freeSpace(), options.ticks());
    }

    /** Whether the free space is below the watermark now. Any thread; at most one file system call. */
    boolean low() {
        refresh();
        return low;
    }

    /** The free bytes at the last reading ({@link Long#MAX_VALUE} before the first or when unreadable). */
    long free() {
        refresh();
        return free;
    }

    long minFree() {
        return minFree;
    }

    /** The one-line reason a growing write is refused now, or null while there is space. */
    String refusal() {
        return low() ? "the server's disk is nearly full (" + Quotas.size(free) + " free, it keeps "
                + Quotas.size(minFree) + "); new messages are refused until space is freed" : null;
    }

    private synchronized void refresh() {
        long now = clock.nanoTime();
        if (read && now - readAt < PROBE_INTERVAL_NANOS) {
            return;
        }
        read = true;
        readAt = now;
        long f;
        try {
            f = probe.usableBytes(dir);
            probeFailing = false;
        } catch (IOException | RuntimeException e) {
            // an unreadable count refuses nothing: the store's own failures still refuse writes
            if (!probeFailing) {
                LOG.warn("disk_probe_failed", "dir", dir, "error", String.valueOf(e.getMessage()));
            }
            probeFailing = true;
            f = Long.MAX_VALUE;
        }
        free = f;
        boolean nowLow = f < minFree;
        if (nowLow != low) {
            if (nowLow) {
                LOG.warn("disk_low", "dir", dir, "free_bytes", f, "min_free_bytes", minFree,
                        "effect", "new messages, rooms and invitations are refused; reads, sync and acks go on");
            } else {
                LOG.info("disk_ok", "dir", dir, "free_bytes", f, "min_free_bytes", minFree);
            }
            low = nowLow;
        }
    }
}
