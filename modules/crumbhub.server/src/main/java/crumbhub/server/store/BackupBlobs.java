package crumbhub.server.store;

import crumbhub.wire.log.Log;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * The accounts' history backups (docs/server.md "History backup"): opaque sealed batches, kept
 * outside the message log in {@value #DIR}/ of the data directory, one append-only file per
 * stream (one device's sequence of batches):
 *
 * <pre>
 *   DATA/history-backup/HEX(user)/DEVICE-STREAM.hbk     DEVICE decimal, STREAM 16 hex digits
 *   record = u32 length, u32 CRC32C(blob), blob(length)
 * </pre>
 *
 * A batch is acknowledged only once its record is forced to disk; a torn or damaged tail found at
 * start is cut off (the batch was never acknowledged, or the client stores it again). The server
 * never opens a blob: it checks only the index (batch {@code n} of a stream is stored only after
 * batch {@code n - 1}) and the account's quota.
 *
 * <p>Threads: every file operation and the whole index run on one thread of its own, never on a
 * loop or the core; the public methods hand work to it and return at once (false when its queue is
 * full), and each callback runs on that thread. {@link #totalBytes()} and {@link #totalBatches()}
 * are readable from any thread.
 */
public final class BackupBlobs implements AutoCloseable {
    public static final String DIR = "history-backup";
    static final String SUFFIX = ".hbk";
    /** Bytes each batch counts against the quota besides its blob: its record header. */
    public static final int RECORD_OVERHEAD = 8;
    /** Most blob bytes one fetch reads: a reply frame holds less, the client asks again. */
    static final int FETCH_BYTES = 64 * 1024;
    /** Tasks that may wait for the backup thread; beyond it requests are refused as busy. */
    static final int QUEUE = 1024;
    private static final Log LOG = Log.get("crumbhub.server.store");

    /** What an append did. */
    public sealed interface Appended {
        /** Stored and durable, or the same blob was already the stream's last batch (a retry). */
        record Stored(boolean repeated) implements Appended {}

        /** The index is not the stream's next one; {@code next} is. */
        record WrongIndex(long next) implements Appended {}

        /** The index holds another blob already: batches are never replaced. */
        record Taken() implements Appended {}

        /** The account's backup would exceed its quota. */
        record OverQuota(long used) implements Appended {}

        /** The disk failed; nothing was acknowledged. */
        record Failed(String reason) implements Appended {}
    }

    /** One stream, for a listing. */
    public record StreamInfo(int deviceId, long stream, long batches, long bytes) {}

    /** An account's backup: bytes counted against its quota, and its streams. */
    public record Listing(long usedBytes, List<StreamInfo> streams) {}

    /** Batches {@code from ..} of a stream; {@code more} when it holds further ones. Empty if unknown. */
    public record Fetched(boolean found, List<byte[]> blobs, boolean more) {}

    private record Key(int deviceId, long stream) {}

    private static final class Stream {
        final Path file;
        final List<long[]> records = new ArrayList<>(); // {payload offset, length}
        long end;
        byte[] lastHash = new byte[0];

        Stream(Path file) {
            this.file = file;
        }

        long bytes() {
            long n = 0;
            for (long[] r : records) {
                n += r[1] + RECORD_OVERHEAD;
            }
            return n;
        }
    }

    private static final class Account {
        final Map<Key, Stream> streams = new LinkedHashMap<>();
        long bytes;
    }

    private final Path root;
    private final Map<String, Account> accounts = new HashMap<>();
    private final ThreadPoolExecutor thread;
    private final AtomicLong totalBytes = new AtomicLong();
    private final AtomicLong totalBatches = new AtomicLong();

    private BackupBlobs(Path root) {
        this.root = root;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE),
                r -> Thread.ofPlatform().name("crumbhub-backup").daemon(true).unstarted(r));
    }

    /**
     * Opens (creating it 0700 if needed) the backup directory of {@code dataDir} and reads every
     * stream's index, cutting off torn tails. Blocking file I/O, at start.
     */
    public static BackupBlobs open(Path dataDir) throws IOException {
        Path root = dataDir.resolve(DIR);
        OwnerOnly.createDirectories(root);
        var blobs = new BackupBlobs(root);
        blobs.load();
        return blobs;
    }

    private void load() throws IOException {
        try (var users = Files.list(root)) {
            for (Path userDir : users.sorted().toList()) {
                String user;
                try {
                    user = new String(HexFormat.of().parseHex(userDir.getFileName().toString()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    LOG.warn("backup_entry_ignored", "path", userDir, "reason", "not an account directory");
                    continue;
                }
                Account account = new Account();
                try (var files = Files.list(userDir)) {
                    for (Path f : files.sorted().toList()) {
                        Key key = keyOf(f.getFileName().toString());
                        if (key == null) {
                            LOG.warn("backup_entry_ignored", "path", f, "reason", "not a stream file");
                            continue;
                        }
                        Stream s = scan(f);
                        account.streams.put(key, s);
                        account.bytes += s.bytes();
                        totalBatches.addAndGet(s.records.size());
                    }
                }
                totalBytes.addAndGet(account.bytes);
                accounts.put(user, account);
            }
        }
    }

    private static final java.util.regex.Pattern STREAM_FILE =
            java.util.regex.Pattern.compile("([0-9]{1,10})-([0-9a-f]{16})" + java.util.regex.Pattern.quote(SUFFIX));

    private static Key keyOf(String name) {
        var m = STREAM_FILE.matcher(name);
        if (!m.matches() || Long.parseLong(m.group(1)) > 0xFFFF_FFFFL) {
            return null;
        }
        return new Key((int) Long.parseLong(m.group(1)), Long.parseUnsignedLong(m.group(2), 16));
    }

    /** Reads a stream file's records; cuts off a torn or damaged tail. */
    private static Stream scan(Path f) throws IOException {
        Stream s = new Stream(f);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            long size = ch.size();
            long pos = 0;
            var header = ByteBuffer.allocate(RECORD_OVERHEAD);
            while (pos + RECORD_OVERHEAD <= size) {
                header.clear();
                readFully(ch, header, pos);
                int length = header.getInt(0);
                int crc = header.getInt(4);
                if (length < 0 || length > crumbhub.wire.Limits.BACKUP_BLOB || pos + RECORD_OVERHEAD + length > size) {
                    break;
                }
                var blob = ByteBuffer.allocate(length);
                readFully(ch, blob, pos + RECORD_OVERHEAD);
                if (crc32c(blob.array()) != crc) {
                    break;
                }
                s.records.add(new long[] {pos + RECORD_OVERHEAD, length});
                s.lastHash = sha256(blob.array());
                pos += RECORD_OVERHEAD + length;
            }
            if (pos < size) {
                LOG.warn("backup_tail_cut", "file", f.getFileName(), "bytes", size - pos);
                ch.truncate(pos);
                ch.force(true);
            }
            s.end = pos;
        }
        return s;
    }

    /** Bytes of every account's backup together (for metrics). Any thread. */
    public long totalBytes() {
        return totalBytes.get();
    }

    /** Batches stored in every account's backup together (for metrics). Any thread. */
    public long totalBatches() {
        return totalBatches.get();
    }

    /**
     * Appends batch {@code index} of {@code user}'s device {@code deviceId}'s stream {@code stream}
     * if it is the stream's next one and the account stays within {@code quota} bytes. Returns
     * false if the backup thread is saturated (nothing done, {@code done} never runs).
     */
    public boolean append(String user, int deviceId, long stream, long index, byte[] blob, long quota,
                          Consumer<Appended> done) {
        return submit(() -> done.accept(appendNow(user, new Key(deviceId, stream), index, blob, quota)));
    }

    private Appended appendNow(String user, Key key, long index, byte[] blob, long quota) {
        Account account = accounts.get(user);
        Stream s = account == null ? null : account.streams.get(key);
        long next = s == null ? 0 : s.records.size();
        if (index < next) {
            boolean same = index == next - 1 && MessageDigest.isEqual(s.lastHash, sha256(blob));
            return same ? new Appended.Stored(true) : new Appended.Taken();
        }
        if (index != next) {
            return new Appended.WrongIndex(next);
        }
        long used = account == null ? 0 : account.bytes;
        long charge = blob.length + RECORD_OVERHEAD;
        if (used + charge > quota) {
            return new Appended.OverQuota(used);
        }
        try {
            if (account == null) {
                account = new Account();
                accounts.put(user, account);
            }
            if (s == null) {
                Path dir = root.resolve(HexFormat.of().formatHex(user.getBytes(StandardCharsets.UTF_8)));
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    OwnerOnly.createDirectory(dir);
                    forceDirectory(root);
                }
                s = new Stream(dir.resolve(Integer.toUnsignedString(key.deviceId()) + "-"
                        + HexFormat.of().toHexDigits(key.stream()) + SUFFIX));
                try (FileChannel ch = OwnerOnly.openOrCreate(s.file)) {
                    ch.truncate(0);
                    ch.force(true);
                }
                forceDirectory(dir);
                account.streams.put(key, s);
            }
            var record = ByteBuffer.allocate(RECORD_OVERHEAD + blob.length);
            record.putInt(blob.length).putInt(crc32c(blob)).put(blob).flip();
            try (FileChannel ch = FileChannel.open(s.file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                ch.truncate(s.end);
                long pos = s.end;
                while (record.hasRemaining()) {
                    pos += ch.write(record, pos);
                }
                ch.force(false);
            }
            s.records.add(new long[] {s.end + RECORD_OVERHEAD, blob.length});
            s.end += RECORD_OVERHEAD + blob.length;
            s.lastHash = sha256(blob);
            account.bytes += charge;
            totalBytes.addAndGet(charge);
            totalBatches.incrementAndGet();
            return new Appended.Stored(false);
        } catch (IOException e) {
            LOG.warn("backup_write_failed", "reason", e.getMessage());
            return new Appended.Failed(e.getMessage());
        }
    }

    /** The streams of {@code user}'s backup. False if the backup thread is saturated. */
    public boolean list(String user, Consumer<Listing> done) {
        return submit(() -> {
            Account account = accounts.get(user);
            if (account == null) {
                done.accept(new Listing(0, List.of()));
                return;
            }
            var out = new ArrayList<StreamInfo>();
            account.streams.forEach((k, s) -> out.add(new StreamInfo(k.deviceId(), k.stream(), s.records.size(),
                    s.bytes())));
            done.accept(new Listing(account.bytes, out));
        });
    }

    /** Reads batches {@code from ..} of a stream of {@code user}, up to {@link #FETCH_BYTES}. False if saturated. */
    public boolean fetch(String user, int deviceId, long stream, long from, Consumer<Fetched> done) {
        return submit(() -> {
            Account account = accounts.get(user);
            Stream s = account == null ? null : account.streams.get(new Key(deviceId, stream));
            if (s == null || from < 0 || from > s.records.size()) {
                done.accept(new Fetched(false, List.of(), false));
                return;
            }
            var blobs = new ArrayList<byte[]>();
            long bytes = 0;
            int i = (int) from;
            try (FileChannel ch = FileChannel.open(s.file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                for (; i < s.records.size() && (blobs.isEmpty() || bytes + s.records.get(i)[1] <= FETCH_BYTES); i++) {
                    long[] r = s.records.get(i);
                    var buf = ByteBuffer.allocate((int) r[1]);
                    readFully(ch, buf, r[0]);
                    blobs.add(buf.array());
                    bytes += r[1];
                }
            } catch (IOException e) {
                LOG.warn("backup_read_failed", "reason", e.getMessage());
                done.accept(new Fetched(false, List.of(), false));
                return;
            }
            done.accept(new Fetched(true, blobs, i < s.records.size()));
        });
    }

    /** Deletes every batch of {@code user}'s backup; {@code done} gets null, or the failure. False if saturated. */
    public boolean delete(String user, Consumer<String> done) {
        return submit(() -> {
            Account account = accounts.remove(user);
            if (account != null) {
                totalBytes.addAndGet(-account.bytes);
                for (Stream s : account.streams.values()) {
                    totalBatches.addAndGet(-s.records.size());
                }
            }
            Path dir = root.resolve(HexFormat.of().formatHex(user.getBytes(StandardCharsets.UTF_8)));
            try {
                deleteTree(dir);
                forceDirectory(root);
                done.accept(null);
            } catch (IOException e) {
                LOG.warn("backup_delete_failed", "reason", e.getMessage());
                done.accept(e.getMessage());
            }
        });
    }

    private boolean submit(Runnable task) {
        try {
            thread.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Lets queued work finish (up to {@code millis}), then stops the thread. */
    public void close(long millis) throws InterruptedException {
        thread.shutdown();
        thread.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    /**
     * Copies the backup directory of {@code fromData} into {@code toData} (new files 0600, forced),
     * for a server backup or a restore; nothing if there is none. A batch being appended meanwhile
     * may be cut off at its torn tail when the copy is opened, like after a crash. Blocking file I/O.
     */
    public static void copyTree(Path fromData, Path toData) throws IOException {
        Path from = fromData.resolve(DIR);
        if (!Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path to = toData.resolve(DIR);
        OwnerOnly.createDirectories(to);
        for (Path f : files(fromData)) {
            Path target = to.resolve(from.relativize(f).toString());
            OwnerOnly.createDirectories(target.getParent());
            byte[] content = Files.readAllBytes(f);
            OwnerOnly.writeNew(target, content);
            forceDirectory(target.getParent());
        }
        forceDirectory(to);
    }

    /** The stream files under {@code dataDir}'s backup directory, in name order (for signing a server backup). */
    public static List<Path> files(Path dataDir) throws IOException {
        Path from = dataDir.resolve(DIR);
        if (!Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (var walk = Files.walk(from)) {
            return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                            && p.getFileName().toString().endsWith(SUFFIX))
                    .sorted(Comparator.comparing(Path::toString)).toList();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private static int crc32c(byte[] b) {
        var crc = new CRC32C();
        crc.update(b);
        return (int) crc.getValue();
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
