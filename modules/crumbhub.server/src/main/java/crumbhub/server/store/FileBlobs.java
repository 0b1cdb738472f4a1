package crumbhub.server.store;

import crumbhub.server.config.FileLimits;
import crumbhub.wire.FileId;
import crumbhub.wire.Limits;
import crumbhub.wire.log.Log;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The file blob store (docs/server.md "Files"): sealed files kept as opaque bytes outside the
 * message log, in {@value #DIR}/ of the data directory ({@link BlobFiles} names and reads them):
 *
 * <pre>
 *   DATA/files/ID.meta    u8 version (=1), u64 length, u64 createdMs, str8 uploader      written at FILE_BEGIN
 *   DATA/files/ID.part    the bytes stored so far of an unfinished upload
 *   DATA/files/ID.blob    a finished blob (the .part renamed once forced to disk)
 * </pre>
 *
 * An append goes at the end of the stored bytes only (a resumed upload sends from there); a finish
 * forces the bytes and the rename to disk before it answers, so a blob that was answered finished
 * survives a crash. A blob's declared length counts against its uploader's and the server's
 * quotas from FILE_BEGIN on. Ids are 128 random bits; any authenticated user may read a finished
 * blob whose id it knows (the end-to-end key is what protects the content).
 *
 * <p>Threads: every file operation and the index run on one thread of its own ("crumbhub-files"),
 * never on a loop or the core; the public methods hand work to it and return at once (false when
 * its queue, or the bytes waiting in it, are full: back-pressure the client answers by waiting),
 * and each callback runs on that thread. The counters are readable from any thread.
 */
public final class FileBlobs implements AutoCloseable {
    public static final String DIR = BlobFiles.DIR;
    /** Tasks that may wait for the file thread. */
    static final int QUEUE = 4096;
    /** Bytes of appends that may wait for the file thread (about 550 chunks): the rest are refused busy. */
    static final long QUEUED_BYTES = 32L << 20;
    /** Part files held open between appends; more are closed and opened again on use. */
    static final int OPEN_PARTS = 64;
    private static final Log LOG = Log.get("crumbhub.server.store");

    /** What FILE_BEGIN did. */
    public sealed interface Began {
        record Started(FileId id) implements Began {}

        record TooLarge(long max) implements Began {}

        record OverUserQuota(long used, long quota) implements Began {}

        record OverServerQuota(long used, long quota) implements Began {}

        record Failed(String reason) implements Began {}
    }

    /** What an append, a query or a finish found: the blob's state, or why not. */
    public sealed interface Outcome {
        record Status(FileId id, long length, long stored, boolean finished) implements Outcome {}

        /** No such blob of this uploader (or it expired). */
        record NotFound() implements Outcome {}

        /** The append starts after the stored bytes, or ends past the length; {@code stored} is where to go on. */
        record WrongOffset(long stored, long length) implements Outcome {}

        /** A finish before every byte is stored. */
        record Incomplete(long stored, long length) implements Outcome {}

        record Failed(String reason) implements Outcome {}
    }

    /** Bytes of a finished blob from an offset, and its whole length; {@code found} false if none. */
    public record Read(boolean found, long length, byte[] bytes) {}

    static final class Blob {
        final String owner;
        final long length;
        final long createdMs;
        long stored;
        boolean finished;
        FileChannel part;

        Blob(String owner, long length, long createdMs) {
            this.owner = owner;
            this.length = length;
            this.createdMs = createdMs;
        }
    }

    private final BlobFiles files;
    private final SecureRandom random;
    private final Map<FileId, Blob> blobs = new HashMap<>();
    private final Map<String, Long> userBytes = new HashMap<>();
    private final ArrayList<Blob> openParts = new ArrayList<>();
    private final ThreadPoolExecutor thread;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong totalBytes = new AtomicLong();
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong finishedUploads = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();

    private FileBlobs(BlobFiles files, SecureRandom random) {
        this.files = files;
        this.random = random;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE),
                r -> Thread.ofPlatform().name("crumbhub-files").daemon(true).unstarted(r));
    }

    /**
     * Opens (creating it 0700 if needed) the file directory of {@code dataDir} and indexes every
     * blob; files without a readable .meta are deleted (an upload that never got its FILE_STATUS).
     * Blocking file I/O, at start.
     */
    public static FileBlobs open(Path dataDir, SecureRandom random) throws IOException {
        var store = new FileBlobs(BlobFiles.open(dataDir), random);
        store.files.load((id, blob) -> {
            store.blobs.put(id, blob);
            store.charge(blob.owner, blob.length);
        });
        return store;
    }

    private void charge(String owner, long bytes) {
        userBytes.merge(owner, bytes, Long::sum);
        userBytes.remove(owner, 0L);
        totalBytes.addAndGet(bytes);
        count.set(blobs.size());
    }

    /** Starts an upload of {@code length} bytes for {@code owner} within {@code limits}. False if saturated. */
    public boolean begin(String owner, long length, FileLimits limits, long nowMs, Consumer<Began> done) {
        return submit(() -> done.accept(beginNow(owner, length, limits, nowMs)));
    }

    private Began beginNow(String owner, long length, FileLimits limits, long nowMs) {
        if (length < 0 || length > limits.maxBytes()) {
            return new Began.TooLarge(limits.maxBytes());
        }
        long used = userBytes.getOrDefault(owner, 0L);
        if (used + length > limits.userBytes()) {
            return new Began.OverUserQuota(used, limits.userBytes());
        }
        if (totalBytes.get() + length > limits.serverBytes()) {
            return new Began.OverServerQuota(totalBytes.get(), limits.serverBytes());
        }
        FileId id;
        do {
            id = FileId.random(random);
        } while (blobs.containsKey(id));
        var blob = new Blob(owner, length, nowMs);
        try {
            files.create(id, blob);
        } catch (IOException e) {
            LOG.warn("file_begin_failed", "reason", e.getMessage());
            return new Began.Failed(e.getMessage());
        }
        blobs.put(id, blob);
        charge(owner, length);
        return new Began.Started(id);
    }

    /**
     * Appends {@code data} at {@code offset} of {@code owner}'s unfinished blob. Bytes below the
     * stored end are a retry and skipped (a sealed file is deterministic, so they are the same);
     * an offset past the stored end, or data past the length, is refused. False if saturated.
     */
    public boolean append(String owner, FileId id, long offset, byte[] data, Consumer<Outcome> done) {
        if (queuedBytes.addAndGet(data.length) > QUEUED_BYTES) {
            queuedBytes.addAndGet(-data.length);
            return false;
        }
        boolean queued = submit(() -> {
            queuedBytes.addAndGet(-data.length);
            done.accept(appendNow(owner, id, offset, data));
        });
        if (!queued) {
            queuedBytes.addAndGet(-data.length);
        }
        return queued;
    }

    private Outcome appendNow(String owner, FileId id, long offset, byte[] data) {
        Blob b = blobs.get(id);
        if (b == null || !b.owner.equals(owner)) {
            return new Outcome.NotFound();
        }
        long end = offset + data.length;
        if (offset < 0 || offset > b.stored || end > b.length || end < offset) {
            return new Outcome.WrongOffset(b.stored, b.length);
        }
        if (end <= b.stored || b.finished) {
            return status(id, b);
        }
        int skip = (int) (b.stored - offset);
        try {
            FileChannel ch = part(id, b);
            var buf = ByteBuffer.wrap(data, skip, data.length - skip);
            long pos = b.stored;
            while (buf.hasRemaining()) {
                pos += ch.write(buf, pos);
            }
            received.addAndGet(data.length - skip);
            b.stored = end;
            return status(id, b);
        } catch (IOException e) {
            LOG.warn("file_write_failed", "reason", e.getMessage());
            closePart(b);
            return new Outcome.Failed(e.getMessage());
        }
    }

    private FileChannel part(FileId id, Blob b) throws IOException {
        if (b.part == null) {
            if (openParts.size() >= OPEN_PARTS) {
                closePart(openParts.getFirst());
            }
            b.part = files.openPart(id);
            openParts.add(b);
        }
        return b.part;
    }

    private void closePart(Blob b) {
        openParts.remove(b);
        if (b.part != null) {
            try {
                b.part.close();
            } catch (IOException e) {
                LOG.warn("file_close_failed", "reason", e.getMessage());
            }
            b.part = null;
        }
    }

    /** The state of {@code owner}'s blob {@code id} (to resume an upload). False if saturated. */
    public boolean query(String owner, FileId id, Consumer<Outcome> done) {
        return submit(() -> {
            Blob b = blobs.get(id);
            done.accept(b == null || !b.owner.equals(owner) ? new Outcome.NotFound() : status(id, b));
        });
    }

    /** Finishes a complete upload: its bytes and name forced to disk before {@code done} runs. False if saturated. */
    public boolean finish(String owner, FileId id, Consumer<Outcome> done) {
        return submit(() -> done.accept(finishNow(owner, id)));
    }

    private Outcome finishNow(String owner, FileId id) {
        Blob b = blobs.get(id);
        if (b == null || !b.owner.equals(owner)) {
            return new Outcome.NotFound();
        }
        if (b.finished) {
            return status(id, b);
        }
        if (b.stored < b.length) {
            return new Outcome.Incomplete(b.stored, b.length);
        }
        try {
            part(id, b).force(true);
            closePart(b);
            files.finish(id);
            b.finished = true;
            finishedUploads.incrementAndGet();
            return status(id, b);
        } catch (IOException e) {
            LOG.warn("file_finish_failed", "reason", e.getMessage());
            closePart(b);
            return new Outcome.Failed(e.getMessage());
        }
    }

    /** Up to {@code max} (at most FILE_CHUNK) bytes of finished blob {@code id} from {@code offset}. False if saturated. */
    public boolean read(FileId id, long offset, int max, Consumer<Read> done) {
        return submit(() -> {
            Blob b = blobs.get(id);
            if (b == null || !b.finished || offset < 0 || offset > b.length) {
                done.accept(new Read(false, 0, new byte[0]));
                return;
            }
            int n = (int) Math.min(Math.min(Math.max(0, max), Limits.FILE_CHUNK), b.length - offset);
            try {
                byte[] bytes = files.read(id, offset, n);
                sent.addAndGet(n);
                done.accept(new Read(true, b.length, bytes));
            } catch (IOException e) {
                LOG.warn("file_read_failed", "reason", e.getMessage());
                done.accept(new Read(false, 0, new byte[0]));
            }
        });
    }

    /**
     * Deletes blobs past {@code limits.retention()} and unfinished uploads past
     * {@code limits.unfinished()}, both counted from their FILE_BEGIN. False if saturated.
     */
    public boolean sweep(long nowMs, FileLimits limits, Consumer<Integer> done) {
        return submit(() -> {
            int n = 0;
            for (var it = blobs.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                Blob b = e.getValue();
                long age = nowMs - b.createdMs;
                if (age >= limits.retention().toMillis() || !b.finished && age >= limits.unfinished().toMillis()) {
                    closePart(b);
                    try {
                        files.delete(e.getKey());
                    } catch (IOException x) {
                        LOG.warn("file_delete_failed", "reason", x.getMessage());
                        continue;
                    }
                    it.remove();
                    charge(b.owner, -b.length);
                    n++;
                }
            }
            if (n > 0) {
                expired.addAndGet(n);
                LOG.info("files_expired", "count", n);
            }
            done.accept(n);
        });
    }

    private static Outcome.Status status(FileId id, Blob b) {
        return new Outcome.Status(id, b.length, b.stored, b.finished);
    }

    /** Bytes every blob counts (declared lengths, unfinished uploads included). Any thread. */
    public long totalBytes() {
        return totalBytes.get();
    }

    /** Blobs kept, unfinished ones included. Any thread. */
    public long count() {
        return count.get();
    }

    /** Blob bytes stored from uploads since start. Any thread. */
    public long receivedBytes() {
        return received.get();
    }

    /** Blob bytes read for downloads since start. Any thread. */
    public long sentBytes() {
        return sent.get();
    }

    /** Uploads finished since start. Any thread. */
    public long finishedUploads() {
        return finishedUploads.get();
    }

    /** Blobs deleted by expiry since start. Any thread. */
    public long expiredBlobs() {
        return expired.get();
    }

    private boolean submit(Runnable task) {
        try {
            thread.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Lets queued work finish (up to {@code millis}), then closes the open parts and stops the thread. */
    public void close(long millis) throws InterruptedException {
        submit(() -> new ArrayList<>(openParts).forEach(this::closePart));
        thread.shutdown();
        thread.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    /** Copies the finished blobs of {@code fromData} into {@code toData}, forced (a server backup or restore). */
    public static void copyTree(Path fromData, Path toData) throws IOException {
        BlobFiles.copyFinished(fromData, toData);
    }

    /** The files of finished blobs under {@code dataDir}, in name order (for signing a server backup). */
    public static java.util.List<Path> files(Path dataDir) throws IOException {
        return BlobFiles.finishedFiles(dataDir);
    }

}
