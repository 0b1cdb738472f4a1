package crumbhub.server.core;

import crumbhub.server.domain.Change;
import crumbhub.server.domain.ChangeCodec;
import crumbhub.server.log.Log;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Connects the domain to the {@link ChangeLog}: each applied change is encoded and appended,
 * and work that must wait for durability is queued behind the last record appended so far.
 * Store callbacks come back through the {@link CoreExecutor}, so everything here runs on the
 * core thread, in append order (DESIGN §7: a message is acknowledged only once durable).
 *
 * <p>A store failure is fatal to the journal: every waiter gets its failure action, later
 * appends are refused, and {@code onFatal} runs once.
 */
final class Journal implements Consumer<Change> {
    private static final Log LOG = Log.get("crumbhub.server.journal");

    private record Waiter(long index, Runnable then, Runnable orElse) {}

    private final ChangeLog log;
    private final CoreExecutor core;
    private final Runnable onFatal;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private final long maxInFlightBytes;
    private long inFlightBytes;
    private long appended;
    private long durable;
    private long sinceSnapshot;
    private long bytesSinceSnapshot;
    private boolean failed;

    /**
     * @param maxInFlightBytes record bytes not yet durable beyond which {@link #saturated()} says
     *                         to refuse new writes; kept below the store's own queue bound so an
     *                         append is never refused after the domain applied its change
     */
    Journal(ChangeLog log, CoreExecutor core, long maxInFlightBytes, Runnable onFatal) {
        this.log = log;
        this.maxInFlightBytes = maxInFlightBytes;
        this.core = core;
        this.onFatal = onFatal;
    }

    /** Appends a change the domain just applied. Core thread. */
    @Override
    public void accept(Change change) {
        if (failed) {
            return;
        }
        byte[] record = ChangeCodec.encode(change);
        long index = ++appended;
        int size = record.length;
        inFlightBytes += size;
        sinceSnapshot++;
        bytesSinceSnapshot += size;
        log.append(record, error -> core.execute(() -> completed(index, size, error)));
    }

    /** Runs {@code then} once everything appended so far is durable, or {@code orElse} if the store failed. */
    void afterDurable(Runnable then, Runnable orElse) {
        if (failed) {
            orElse.run();
        } else if (durable == appended) {
            then.run();
        } else {
            waiting.add(new Waiter(appended, then, orElse));
        }
    }

    boolean failed() {
        return failed;
    }

    long sinceSnapshot() {
        return sinceSnapshot;
    }

    /** Record bytes appended since the last snapshot. */
    long bytesSinceSnapshot() {
        return bytesSinceSnapshot;
    }

    /** Records appended and not yet durable. */
    long inFlight() {
        return appended - durable;
    }

    /** Writes a snapshot of {@code state}, which must reflect every change appended so far. */
    void snapshot(byte[] state) {
        if (failed) {
            return;
        }
        sinceSnapshot = 0;
        bytesSinceSnapshot = 0;
        log.snapshot(state, error -> {
            if (error != null) {
                LOG.warn("snapshot_failed", "error", error.getMessage());
            }
        });
    }

    /** True while so many bytes wait for the disk that new writes should be refused (try later). */
    boolean saturated() {
        return inFlightBytes > maxInFlightBytes;
    }

    private void completed(long index, int size, Exception error) {
        inFlightBytes -= size;
        if (failed) {
            return;
        }
        if (error != null) {
            failed = true;
            LOG.error("store_failed", "error", error.getMessage());
            while (!waiting.isEmpty()) {
                waiting.poll().orElse().run();
            }
            onFatal.run();
            return;
        }
        durable = Math.max(durable, index);
        while (!waiting.isEmpty() && waiting.peek().index() <= durable) {
            waiting.poll().then().run();
        }
    }
}
