package crumbhub.server.core;

import crumbhub.server.domain.Change;
import crumbhub.server.domain.ChangeCodec;
import java.lang.System.Logger.Level;
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
    private static final System.Logger LOG = System.getLogger("crumbhub.server.store");

    private record Waiter(long index, Runnable then, Runnable orElse) {}

    private final ChangeLog log;
    private final CoreExecutor core;
    private final Runnable onFatal;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private long appended;
    private long durable;
    private long sinceSnapshot;
    private boolean failed;

    Journal(ChangeLog log, CoreExecutor core, Runnable onFatal) {
        this.log = log;
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
        sinceSnapshot++;
        log.append(record, error -> core.execute(() -> completed(index, error)));
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
        log.snapshot(state, error -> {
            if (error != null) {
                LOG.log(Level.WARNING, "event=snapshot_failed error=" + error.getMessage());
            }
        });
    }

    private void completed(long index, Exception error) {
        if (failed) {
            return;
        }
        if (error != null) {
            failed = true;
            LOG.log(Level.ERROR, "event=store_failed error=" + error.getMessage());
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
