package crumbhub.server;

import java.util.List;

import java.nio.ByteBuffer;

import crumbhub.server.core.ChangeLog;
import crumbhub.server.domain.ChangeCodec;
import crumbhub.server.domain.CorruptStateException;
import crumbhub.server.domain.SnapshotCodec;
import crumbhub.server.domain.State;
import crumbhub.server.store.EventStore;
import crumbhub.server.store.StoreException;
import crumbhub.server.store.StoreOptions;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Opens the embedded store in {@code <data>/store}, rebuilds the {@link State} from its latest
 * snapshot and the records after it, and adapts it to the core's {@link ChangeLog}.
 */
final class Persistence implements ChangeLog, AutoCloseable {
    static final String STORE_DIR = "store";

    private final EventStore store;
    private final State state;
    private final long replayed;

    private Persistence(EventStore store, State state, long replayed) {
        this.store = store;
        this.state = state;
        this.replayed = replayed;
    }

    /**
     * Opens and recovers. Blocks on disk; call before any thread uses the state.
     *
     * @throws StoreException if the store cannot be opened or a record does not decode
     */
    static Persistence open(Path dataDir) throws StoreException {
        return open(dataDir, StoreOptions.defaults());
    }

    /**
     * Opens with the given store options (tests inject faults through {@link StoreOptions#opener()});
     * the server always holds after a failed write ({@link StoreOptions#holdFailures()}).
     */
    static Persistence open(Path dataDir, StoreOptions storeOptions) throws StoreException {
        var recovery = new EventStore.Recovery() {
            State state = new State();
            long records;

            @Override
            public void snapshot(byte[] bytes) {
                state = SnapshotCodec.decode(bytes);
            }

            @Override
            public void record(byte[] bytes) {
                state.apply(ChangeCodec.decode(bytes));
                records++;
            }
        };
        EventStore store;
        try {
            store = EventStore.open(dataDir.resolve(STORE_DIR), storeOptions.withHoldFailures(true), recovery);
        } catch (StoreException e) {
            if (e.getCause() instanceof CorruptStateException c) {
                throw new StoreException(StoreException.Kind.RECOVERY_FAILED,
                        "the stored state does not replay: " + c.getMessage(), c);
            }
            throw e;
        }
        return new Persistence(store, recovery.state, recovery.records);
    }

    /** Writes {@code snapshot} as the whole content of a new store in {@code dir} (for backups). */
    static void writeSnapshotStore(Path dir, byte[] snapshot) throws StoreException, InterruptedException {
        try (EventStore target = EventStore.open(dir.resolve(STORE_DIR), StoreOptions.defaults(), new EventStore.Recovery() {
            @Override
            public void snapshot(byte[] state) {
                throw new IllegalStateException("backup target already holds a snapshot");
            }

            @Override
            public void record(byte[] record) {
                throw new IllegalStateException("backup target already holds records");
            }
        })) {
            var done = new java.util.concurrent.CompletableFuture<StoreException>();
            target.snapshot(snapshot, done::complete);
            StoreException e;
            try {
                e = done.get(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException x) {
                throw new StoreException(StoreException.Kind.IO, "backup snapshot did not complete: " + x, x);
            }
            if (e != null) {
                throw e;
            }
        }
    }

    State state() {
        return state;
    }

    long replayed() {
        return replayed;
    }

    EventStore store() {
        return store;
    }

    @Override
    public void append(byte[] record, Consumer<Exception> done) {
        store.append(record, done::accept);
    }

    @Override
    public void snapshot(List<ByteBuffer> parts, Consumer<Exception> done) {
        store.snapshot(parts, done::accept);
    }

    @Override
    public void resume() {
        store.resume();
    }

    @Override
    public void close() {
        store.close();
    }
}
