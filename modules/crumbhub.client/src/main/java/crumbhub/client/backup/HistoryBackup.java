package crumbhub.client.backup;

import crumbhub.client.ClientException;
import crumbhub.client.chat.HistoryRecord;
import crumbhub.client.e2e.BackupRoot;
import crumbhub.client.e2e.E2eClient;
import crumbhub.client.home.AtomicFiles;
import crumbhub.client.home.Home;
import crumbhub.client.model.ConversationId;
import crumbhub.crypto.CryptoException;
import crumbhub.wire.BackupFrame;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * This device's part of the account history backup (docs/client.md "History backup",
 * docs/crypto.md "History backup"): it collects the lines the device records ({@link #recorded}),
 * seals them into batches of its own stream, uploads them in order, restores the other streams
 * into the local history, and deletes the account's backup.
 *
 * <pre>
 *   recorded -> open batch (sealed state record) -> seal -> HOME/backup-outbox/STREAM-INDEX.batch
 *            -> upload (BACKUP_APPEND, in index order, idempotent) -> deleted from the outbox
 * </pre>
 *
 * Every step is durable before the next, so a crash or a lost connection resumes where it stopped:
 * a batch is sealed once (its file written before the state moves on) and uploaded again until the
 * server confirms it (a repeated upload of the same bytes is answered OK).
 *
 * <p>Threads: thread-safe; every method may block on the home's files ({@link #recorded}, {@link
 * #flush}) or on the network through its {@link Link} ({@link #upload}, {@link #restore}, {@link
 * #delete}, {@link #status}). The chat calls {@link #recorded} on its session thread and the rest
 * on a {@link BackupWorker} thread, never on the UI thread; no lock is held across a network call,
 * so an upload waiting for the server never holds up {@link #recorded}. A lock file keeps two
 * processes of the same home from changing the state at once; only one thread of one process
 * uploads at a time (the worker, or a one-shot command).
 */
public final class HistoryBackup implements HistoryTap {
    static final String OUTBOX = "backup-outbox";
    static final String LOCK = "backup.lock";

    /** A request and its reply: {@code ClientSession.call} for commands, the session engine in the chat. */
    @FunctionalInterface
    public interface Link {
        /**
         * Sends the request and returns its reply. Blocking.
         *
         * @throws ClientException for an ERROR reply (with its code) or a network failure
         */
        <T extends Frame> T call(String what, IntFunction<Frame> request, Class<T> expected);

        /**
         * Sends every request and returns their replies in request order. A link that can keep
         * several requests in flight sends them all before it waits (a restore fetches one
         * 57 KiB batch per round trip otherwise); this default sends them one after another.
         * Blocking.
         *
         * @throws ClientException as {@link #call}, for the first request in order that failed
         */
        default <T extends Frame> List<T> callAll(String what, List<IntFunction<Frame>> requests, Class<T> expected) {
            var replies = new ArrayList<T>(requests.size());
            for (IntFunction<Frame> request : requests) {
                replies.add(call(what, request, expected));
            }
            return replies;
        }
    }

    /** What {@link #upload} did. */
    public record Uploaded(int batches, Optional<String> problem) {}

    /** What {@link #restore} did: lines restored per conversation, batches opened, and what was wrong. */
    public record Restored(int lines, int batches, List<String> problems) {}

    /** What {@link #status} shows. */
    public record Status(boolean approved, boolean enabled, List<String> excluded, long pendingBatches,
                         long usedBytes, long quotaBytes, int streams) {}

    private final Home home;
    private final E2eClient e2e;
    private final int deviceId;
    private final SecureRandom rng;
    private final Consumer<String> warnings;
    private BackupRoot root;

    private HistoryBackup(Home home, E2eClient e2e, int deviceId, SecureRandom rng, Consumer<String> warnings) {
        this.home = home;
        this.e2e = e2e;
        this.deviceId = deviceId;
        this.rng = rng;
        this.warnings = warnings;
    }

    /**
     * The backup of device {@code deviceId} whose end-to-end layer is {@code e2e}.
     *
     * @param warnings one sentence each: a batch the server lost or refused, a full quota
     */
    public static HistoryBackup open(Home home, E2eClient e2e, long deviceId, SecureRandom rng,
                                     Consumer<String> warnings) {
        return new HistoryBackup(home, e2e, (int) deviceId, rng, warnings);
    }

    /** The backup key, once this device is approved and holds the account key. */
    private synchronized Optional<BackupRoot> root() {
        if (root == null) {
            root = e2e.historyBackupRoot().orElse(null);
        }
        return Optional.ofNullable(root);
    }

    // ---- recording ----

    /**
     * Adds lines the device recorded to the open batch, unless keeping history is off for their
     * conversation or the device holds no backup key (a pending device backs up nothing). Pending
     * lines wait for their sent version. A full batch is sealed into the outbox. Blocking file I/O.
     */
    @Override
    public synchronized void recorded(ConversationId conversation, List<HistoryRecord> records) {
        if (conversation.kind() == ConversationId.Kind.STATUS || root().isEmpty()) {
            return;
        }
        var add = new ArrayList<BackupBatch.Entry>();
        for (HistoryRecord r : records) {
            var e = new BackupBatch.Entry(conversation, r);
            if (!r.pending() && BackupBatch.fits(e)) {
                add.add(e);
            }
        }
        if (add.isEmpty()) {
            return;
        }
        withState(s -> {
            if (!s.enabled || s.excluded.contains(conversation.label())) {
                return;
            }
            List<BackupBatch.Entry> open = openEntries(s);
            for (var e : add) {
                if (BackupBatch.contentSize(open) + e.size() > BackupBatch.MAX_CONTENT) {
                    seal(s, open);
                    open = new ArrayList<>();
                }
                open.add(e);
            }
            s.open = BackupBatch.encode(open);
        });
    }

    /** Seals the open batch, if any, into the outbox: what is recorded so far can be uploaded. Blocking file I/O. */
    public synchronized void flush() {
        if (root().isEmpty()) {
            return;
        }
        withState(s -> {
            List<BackupBatch.Entry> open = openEntries(s);
            if (!open.isEmpty()) {
                seal(s, open);
                s.open = new byte[0];
            }
        });
    }

    /** Whether lines wait to be sealed or uploaded. Blocking file I/O. */
    public boolean hasWork() {
        var s = load();
        return s.open.length > 0 || s.uploaded < s.sealed;
    }

    private List<BackupBatch.Entry> openEntries(BackupState s) {
        if (s.open.length == 0) {
            return new ArrayList<>();
        }
        try {
            return new ArrayList<>(BackupBatch.decode(s.open));
        } catch (CryptoException e) {
            throw ClientException.store("the open history backup batch in the home is damaged: " + e.getMessage());
        }
    }

    /** Seals {@code entries} as the stream's next batch: its file first, then the state moves on. */
    private void seal(BackupState s, List<BackupBatch.Entry> entries) {
        byte[] blob = BackupBatch.seal(root().orElseThrow(), new BackupBatch.Place(deviceId, s.stream, s.sealed),
                entries, rng);
        AtomicFiles.createPrivateDirectory(outbox());
        AtomicFiles.write(batchFile(s.stream, s.sealed), blob);
        s.sealed++;
        save(s);
    }

    // ---- uploading ----

    /**
     * Uploads the sealed batches waiting in the outbox, in order, each once the previous one is
     * confirmed. Stops at the first failure: a network failure is thrown (the batches stay and are
     * uploaded later); a full quota is returned as the problem. A server whose stream does not
     * continue where this device's left off (the account deleted its backup, or the server lost
     * batches or this home was restored from an older copy) gets a new stream; the batches it never
     * confirmed are dropped from the backup (the lines stay in the local history). Blocking.
     */
    public Uploaded upload(Link link) {
        if (root().isEmpty()) {
            return new Uploaded(0, Optional.empty());
        }
        int done = 0;
        while (true) {
            var s = load();
            if (s.uploaded >= s.sealed) {
                return new Uploaded(done, Optional.empty());
            }
            long stream = s.stream;
            long index = s.uploaded;
            Optional<byte[]> blob = AtomicFiles.read(batchFile(stream, index), 1 << 17);
            if (blob.isEmpty()) {
                restart(stream, "batch " + index + " of this device's history backup is missing from " + outbox());
                continue;
            }
            try {
                link.call("history backup", id -> new BackupFrame.BackupAppend(id, stream, index, blob.get()),
                        ControlFrame.Ok.class);
            } catch (ClientException e) {
                String code = e.serverCode().orElse("");
                if (code.equals(ErrorCode.QUOTA.code())) {
                    return new Uploaded(done, Optional.of(e.getMessage()));
                }
                if (code.equals(ErrorCode.WRONG_STATE.code()) || code.equals(ErrorCode.EXISTS.code())) {
                    restart(stream, "the server's copy of this device's history backup does not continue at batch "
                            + index + " (" + e.getMessage() + "): it was deleted, or the server lost batches; starting"
                            + " a new stream");
                    continue;
                }
                throw e;
            }
            withState(st -> {
                if (st.stream == stream && st.uploaded == index) {
                    st.uploaded++;
                }
            });
            AtomicFiles.delete(batchFile(stream, index));
            done++;
        }
    }

    /**
     * For a command that records and then ends ({@code listen}, {@code send}): seals what it
     * recorded and uploads it now; if the server cannot be reached the batches wait in the outbox
     * for the next upload (the problem is returned, not thrown). Blocking.
     */
    public Uploaded syncNow(Link link) {
        flush();
        try {
            return upload(link);
        } catch (ClientException e) {
            return new Uploaded(0, Optional.of("the history backup waits for the server: " + e.getMessage()));
        }
    }

    /** A new stream, unless another thread or process already started one: the old one's unconfirmed batches are dropped. */
    private void restart(long stream, String why) {
        boolean[] restarted = {false};
        withState(s -> {
            if (s.stream != stream) {
                return;
            }
            for (long i = s.uploaded; i < s.sealed; i++) {
                AtomicFiles.delete(batchFile(s.stream, i));
            }
            s.stream = rng.nextLong();
            s.sealed = 0;
            s.uploaded = 0;
            restarted[0] = true;
        });
        if (restarted[0]) {
            warnings.accept(why);
        }
    }

    // ---- restoring ----

    /**
     * Restores every stream of the account's backup that other devices (and earlier installs of this
     * one) wrote, from where an earlier restore stopped: each batch is opened as exactly the batch
     * the server says it is; the lines go to {@code sink} (grouped by conversation, in time order)
     * before this device remembers them as restored. A batch that does not open (moved, replayed,
     * from another account, altered) or a stream shorter than listed ends that stream with a
     * problem; the batches before it are kept. Blocking.
     *
     * @throws ClientException refused if this device holds no backup key (pending)
     */
    public Restored restore(Link link, Consumer<Map<ConversationId, List<HistoryRecord>>> sink) {
        BackupRoot key = root().orElseThrow(() -> ClientException.refused("this device is not approved yet: it holds no"
                + " key to the account's history backup"));
        return new BackupRestore(this, key, deviceId).run(link, sink);
    }

    /** Whether this device has restored the backup at least once (the chat restores at its first start). */
    public boolean restoredOnce() {
        return load().restoredOnce;
    }

    // ---- settings, status, deletion ----

    /**
     * Turns keeping history in the backup on or off, for one conversation or (empty) for every
     * conversation of this device. Lines of it not sealed into a batch yet are dropped from the
     * backup; lines already sealed or uploaded stay until {@link #delete}. Local only.
     */
    public void keep(Optional<ConversationId> conversation, boolean on) {
        withState(s -> {
            if (conversation.isEmpty()) {
                s.enabled = on;
            } else if (on) {
                s.excluded.remove(conversation.get().label());
            } else {
                s.excluded.add(conversation.get().label());
            }
            if (!on && s.open.length > 0) { // lines not sealed yet stay out too
                var open = openEntries(s);
                open.removeIf(e -> conversation.isEmpty() || e.conversation().equals(conversation.get()));
                s.open = open.isEmpty() ? new byte[0] : BackupBatch.encode(open);
            }
        });
    }

    /** The settings, what waits here and, from the server, the account's backup use. Blocking. */
    public Status status(Link link) {
        var s = load();
        var listing = link.call("history backup list", BackupFrame.BackupList::new, BackupFrame.BackupListReply.class);
        return new Status(root().isPresent(), s.enabled, List.copyOf(s.excluded), s.sealed - s.uploaded
                + (s.open.length > 0 ? 1 : 0), listing.usedBytes(), listing.quotaBytes(), listing.streams().size());
    }

    /**
     * Deletes the account's whole backup on the server (every device's batches) and this device's
     * outbox; this device starts a new stream. Other devices start new streams at their next upload.
     * Blocking.
     */
    public void delete(Link link) {
        link.call("history backup delete", BackupFrame.BackupDelete::new, ControlFrame.Ok.class);
        withState(s -> {
            for (long i = s.uploaded; i < s.sealed; i++) {
                AtomicFiles.delete(batchFile(s.stream, i));
            }
            s.stream = rng.nextLong();
            s.sealed = 0;
            s.uploaded = 0;
            s.open = new byte[0];
            s.restored.clear();
        });
    }

    // ---- state ----

    interface Change {
        void apply(BackupState s);
    }

    /**
     * Loads, changes and saves the state under this object's monitor and the home's backup lock
     * (other processes of this home wait); held for file I/O only, never across a network call.
     */
    synchronized void withState(Change change) {
        Path lockFile = home.dir().resolve(LOCK);
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             var lock = ch.lock()) {
            var s = load();
            change.apply(s);
            save(s);
        } catch (IOException e) {
            throw ClientException.store("cannot lock " + lockFile + ": " + e.getMessage(), e);
        }
    }

    BackupState load() {
        return home.readRecord(BackupState.RECORD).map(BackupState::decode)
                .orElseGet(() -> BackupState.fresh(rng.nextLong()));
    }

    private void save(BackupState s) {
        home.writeRecord(BackupState.RECORD, s.encode());
    }

    private Path outbox() {
        return home.dir().resolve(OUTBOX);
    }

    private Path batchFile(long stream, long index) {
        return outbox().resolve(HexFormat.of().toHexDigits(stream) + "-" + index + ".batch");
    }

    /** Forgets the backup key held in memory. */
    public synchronized void close() {
        if (root != null) {
            root.close();
            root = null;
        }
    }
}
