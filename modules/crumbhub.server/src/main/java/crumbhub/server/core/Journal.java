package crumbhub.server.core;

import java.util.List;

import java.nio.ByteBuffer;

import crumbhub.server.domain.Change;
import crumbhub.server.domain.ChangeCodec;
import crumbhub.server.domain.State;
import crumbhub.wire.log.Log;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Connects the domain to the {@link ChangeLog}: each applied change is encoded and appended,
 * and work that must wait for durability is queued behind the last record appended so far.
 * Appended records reach the log in {@link #handOff()}, which the core runs right after it
 * handed the frames of its tasks to the event loops (early pushes leave first, server.md §5).
 * Store callbacks come back through the {@link CoreExecutor}, one task for all the outcomes
 * reported since the last one (a group commit's records), so everything here runs on the
 * core thread, in append order (docs/design.md §7: a message is acknowledged only once durable).
 *
 * <p><b>Storage faults</b> (a full disk, a failing fsync) never stop the server. The log fails
 * every record appended after a failed one until {@link ChangeLog#resume()} (it holds), so
 * what is durable is always a prefix of what was applied. The journal keeps a second state,
 * {@code durable}, that follows only records the log reported durable. When a record fails:
 * <ol>
 *   <li>the live state is rolled back to a copy of {@code durable}: every change whose record
 *       did not become durable is undone, and {@code onRollback} lets the core re-attach its
 *       sessions to the restored devices;</li>
 *   <li>every waiter gets its failure action (the client gets {@code storage}, no ack);</li>
 *   <li>the log is resumed, and the journal is <em>failing</em>: the core refuses new writes
 *       with {@code storage} while reads, SYNC and deliveries of what is stored go on;</li>
 *   <li>every {@link #PROBE_INTERVAL} a probe record (one that changes nothing) is appended;
 *       the first record that becomes durable again ends the failing state by itself.</li>
 * </ol>
 */
final class Journal implements Consumer<Change> {
    private static final Log LOG = Log.get("crumbhub.server.journal");
    /** How often a failing store is tried again. One tiny write a second costs nothing. */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    /**
     * The probe: expires messages up to seq 0, below every real seq, so applying it changes
     * nothing, live or on replay. Any record would do; this one needs no user or device.
     */
    static final Change PROBE = new Change.MessagesExpired(0);

    private record Waiter(long index, Runnable then, Runnable orElse) {}

    private record Unsent(long index, byte[] record) {}

    /** A store callback's outcome, on its way from the store's thread to the core. */
    private record Completion(long index, int size, Exception error) {}

    private final ChangeLog log;
    private final CoreExecutor core;
    private final State live;
    private final State durableState;
    private final Runnable onRollback;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    /**
     * Outcomes reported by the store and not yet handled by the core, in append order. The store
     * reports a group commit's records back to back, so one core task handles them all
     * ({@link #drainCompletions}) instead of one task, and one thread hand-off, per record.
     */
    private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
    /** True while a {@link #drainCompletions} task is queued on the core and has not started. */
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    /** Changes appended and not yet durable, in append order; the head has index {@code durable + 1}. */
    private final ArrayDeque<Change> pending = new ArrayDeque<>();
    /** Records appended and not yet handed to the log: that happens after the core flushed its pushes. */
    private final ArrayList<Unsent> unsent = new ArrayList<>();
    private final long maxInFlightBytes;
    private long inFlightBytes;
    private long appended;
    /** Every record up to this index is durable, or was rolled back (then waiting for nothing). */
    private long durable;
    /** Records up to this index were rolled back; their callbacks only release bytes. */
    private long voidedThrough;
    private long bytesSinceSnapshot;
    private boolean failing;
    private boolean probeScheduled;
    private long rollbacks;
    private String lastError = "";

    /**
     * @param live             the domain's state; this journal rolls it back on a storage fault
     * @param maxInFlightBytes record bytes not yet durable beyond which {@link #saturated()} says
     *                         to refuse new writes; kept below the store's own queue bound so an
     *                         append is never refused after the domain applied its change
     * @param onRollback       runs on the core thread right after the live state was rolled back
     */
    Journal(ChangeLog log, CoreExecutor core, State live, long maxInFlightBytes, Runnable onRollback) {
        this.log = log;
        this.core = core;
        this.live = live;
        this.durableState = live.copy();
        this.maxInFlightBytes = maxInFlightBytes;
        this.onRollback = onRollback;
        core.afterFlush(this::handOff);
    }

    /** Appends a change the domain just applied; the log gets it at the next {@link #handOff()}. Core thread. */
    @Override
    public void accept(Change change) {
        byte[] record = ChangeCodec.encode(change);
        long index = ++appended;
        int size = record.length;
        pending.add(change);
        inFlightBytes += size;
        bytesSinceSnapshot += size;
        unsent.add(new Unsent(index, record));
    }

    /**
     * Hands the records appended since the last call to the log, in order. Core thread, after
     * the core flushed the frames its tasks queued (early pushes leave first), and before a snapshot.
     */
    void handOff() {
        for (int i = 0, n = unsent.size(); i < n; i++) {
            Unsent u = unsent.get(i);
            long index = u.index();
            int size = u.record().length;
            log.append(u.record(), error -> reported(new Completion(index, size, error)));
        }
        unsent.clear();
    }

    /**
     * The store's callback: queues the outcome and wakes the core unless a drain is already
     * queued. The drain's acknowledgements and pushes leave at once after it, not behind the
     * requests queued meanwhile. Any thread.
     */
    private void reported(Completion completion) {
        completions.add(completion);
        if (drainQueued.compareAndSet(false, true)) {
            core.executeThenFlush(this::drainCompletions);
        }
    }

    /**
     * Handles every outcome reported so far, in order. Core thread. The flag is cleared before
     * polling, so an outcome added after the last poll always finds it clear and queues a drain.
     */
    private void drainCompletions() {
        drainQueued.set(false);
        Completion completion;
        while ((completion = completions.poll()) != null) {
            completed(completion.index(), completion.size(), completion.error());
        }
    }

    /** Runs {@code then} once everything appended so far is durable, or {@code orElse} if a record of it failed. */
    void afterDurable(Runnable then, Runnable orElse) {
        if (durable == appended) {
            then.run();
        } else {
            waiting.add(new Waiter(appended, then, orElse));
        }
    }

    /** True while the store is failing: new writes are refused with {@code storage}. */
    boolean failing() {
        return failing;
    }

    /** The last storage error, for logs and health; empty if none happened. */
    String lastError() {
        return lastError;
    }

    /** How many times changes were rolled back after a storage fault. */
    long rollbacks() {
        return rollbacks;
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
    void snapshot(List<ByteBuffer> state) {
        handOff();
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
        if (index <= voidedThrough) {
            if (error == null) {
                // the ChangeLog broke its hold contract: a rolled-back change is in the log
                LOG.error("rolled_back_record_is_durable", "index", index);
            }
            return;
        }
        Change change = pending.poll();
        if (error != null) {
            rollBack(error);
            return;
        }
        durable = index;
        durableState.apply(change);
        if (failing) {
            failing = false;
            LOG.info("storage_recovered", "rollbacks", rollbacks);
        }
        while (!waiting.isEmpty() && waiting.peek().index() <= durable) {
            waiting.poll().then().run();
        }
    }

    /** A record failed, so did every later one: undo them all and answer their waiters. */
    private void rollBack(Exception error) {
        long undone = appended - durable;
        long durableBefore = durable;
        voidedThrough = appended;
        durable = appended;
        pending.clear();
        for (Unsent u : unsent) {
            inFlightBytes -= u.record().length; // after the failed record: never handed to the log
        }
        unsent.clear();
        rollbacks++;
        lastError = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        live.replaceWith(durableState.copy());
        onRollback.run();
        while (!waiting.isEmpty()) {
            waiting.poll().orElse().run();
        }
        log.resume();
        if (!failing) {
            failing = true;
            LOG.error("storage_failed", "undone", undone, "durable", durableBefore, "action", "refusing_writes",
                    "error", lastError);
        } else {
            LOG.debug("storage_still_failing", "undone", undone, "error", lastError);
        }
        scheduleProbe();
    }

    private void scheduleProbe() {
        if (!probeScheduled) {
            probeScheduled = true;
            core.schedule(PROBE_INTERVAL, this::probe);
        }
    }

    private void probe() {
        probeScheduled = false;
        if (!failing) {
            return;
        }
        if (durable != appended) {
            // an earlier write is still on its way; its outcome decides, then try again
            scheduleProbe();
            return;
        }
        live.apply(PROBE);
        accept(PROBE);
    }
}
