package crumbhub.server.core;

import java.util.List;

import java.nio.ByteBuffer;

import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.Device;
import crumbhub.server.domain.Domain;
import crumbhub.server.domain.SnapshotCodec;
import crumbhub.server.domain.User;
import crumbhub.wire.log.Log;
import crumbhub.wire.loop.Cancellable;
import java.time.Duration;

/**
 * What the core does apart from answering requests: snapshots, periodic maintenance (expiry,
 * idle rates), following the journal's rollback after a storage fault, and the orderly shutdown.
 * Core thread, except {@link #shutdown} (any other thread) and {@link #stopping()} (any thread).
 *
 * <pre>
 *   RUNNING --shutdown()--> STOPPING: new requests refused, queued work finishes, changes made
 *                           durable (bounded), connections closed, core and hash threads stopped
 * </pre>
 */
final class CoreLifecycle {
    private static final Log LOG = Log.get("crumbhub.server.core");
    /** Expiry and snapshot checks. */
    static final Duration MAINTENANCE = Duration.ofSeconds(30);

    private final ServerOptions options;
    private final CoreExecutor core;
    private final Domain domain;
    private final Journal journal;
    private final Delivery delivery;
    private final SeqLeases leases;
    private final HashWorkers hashers;
    private final RegistrationRates registrations;
    private RequestRouter router;
    private Cancellable maintenance;
    private volatile boolean stopping;
    /** Size of the last snapshot written; see {@link #maybeSnapshot()}. */
    private long lastSnapshotBytes;

    CoreLifecycle(ServerOptions options, CoreExecutor core, Domain domain, Journal journal, Delivery delivery,
                  SeqLeases leases, HashWorkers hashers, RegistrationRates registrations) {
        this.options = options;
        this.core = core;
        this.domain = domain;
        this.journal = journal;
        this.delivery = delivery;
        this.leases = leases;
        this.hashers = hashers;
        this.registrations = registrations;
    }

    /** Starts the maintenance timer, once the router whose rates it prunes exists. */
    void start(RequestRouter requests) {
        this.router = requests;
        this.maintenance = core.every(MAINTENANCE, this::maintain);
    }

    boolean stopping() {
        return stopping;
    }

    /**
     * Snapshots once {@code snapshotLogBytes} of records were appended since the last snapshot,
     * and not before that log is as large as the last snapshot. Bytes of log, not records: what
     * a snapshot bounds is the log a restart replays and keeps on disk, and small records
     * (acknowledgements, cursors) add little of either. Encoding stops the core for as long as
     * the state is large (milliseconds per MB), so snapshots stay rare under a steady load: at
     * 10,000 messages a second a record count made one every few seconds, each a stall in the
     * acknowledgement tail. The second bound keeps their cost a bounded share of the work per
     * record when a backlog of undelivered messages makes the state large, just when the core
     * falls behind.
     */
    void maybeSnapshot() {
        if (journal.bytesSinceSnapshot() >= Math.max(options.snapshotLogBytes(), lastSnapshotBytes)
                && !journal.failing()) {
            long t0 = core.nanoTime();
            List<ByteBuffer> snap = SnapshotCodec.encodeParts(domain.state());
            lastSnapshotBytes = snap.stream().mapToLong(ByteBuffer::remaining).sum();
            journal.snapshot(snap);
            LOG.info("snapshot", "bytes", lastSnapshotBytes, "encode_ms", (core.nanoTime() - t0) / 1_000_000);
        }
    }

    private void maintain() {
        long now = core.nanoTime();
        router.pruneRates(now);
        registrations.prune(now);
        if (journal.failing() || stopping) {
            return;
        }
        long cutoff = options.clock().millis() - options.retention().toMillis();
        int dropped = domain.expireBefore(cutoff);
        if (dropped > 0) {
            LOG.info("messages_expired", "count", dropped);
        }
        maybeSnapshot();
    }

    /**
     * The journal rolled the state back after a storage fault: every session follows its device
     * into the restored state; a session whose device is no longer there (or is revoked, or its
     * user banned) is closed. Pushes resume from each session's position, so nothing is
     * delivered twice or skipped.
     */
    void rolledBack() {
        leases.rolledBack();
        for (Session s : delivery.rebind(old -> {
            User u = domain.state().user(old.userName());
            Device now = u == null ? null : u.device(old.id());
            return now == null || now.revoked() || u.banned() ? null : now;
        })) {
            s.close();
            s.peer().close();
            LOG.info("session_closed", "reason", "rolled_back");
        }
    }

    /**
     * Stops the core: refuses new requests, lets queued work finish, waits (bounded) until
     * every change is durable, closes the connections, then stops the threads. Call from a
     * non-core thread; the store is closed afterwards by the caller.
     */
    void shutdown(Duration timeout) throws InterruptedException {
        stopping = true;
        if (maintenance != null) {
            maintenance.cancel();
        }
        core.runAndWait(drained -> journal.afterDurable(drained, drained), timeout);
        core.runAndWait(closed -> {
            for (Device d : delivery.devices()) {
                for (Session s : delivery.sessionsOf(d)) {
                    s.close();
                    s.peer().close();
                }
            }
            closed.run();
        }, timeout);
        core.shutdown(timeout);
        hashers.close();
    }
}
