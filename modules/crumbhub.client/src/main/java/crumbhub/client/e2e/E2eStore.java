package crumbhub.client.e2e;

import crumbhub.client.ClientException;
import crumbhub.client.home.Home;
import crumbhub.crypto.Algorithms;
import crumbhub.crypto.Bytes;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The end-to-end state at rest: named records (keys, sessions, pins, sender-key chains), each a
 * sealed file in the home's {@code e2ee/} directory (AES-256-GCM under the store key, see
 * {@link Home#writeRecord}). A record's file name is {@code HMAC-SHA256(indexKey, name)}, the
 * index key being a random secret kept in the record {@code index}, so the directory does not
 * list who the user talks to.
 *
 * <p>Every read and write happens in a {@link #transaction}: it holds a lock across processes
 * ({@code e2ee.lock}, so a {@code send} and a running {@code listen} on the same home never
 * both advance one session) and within this JVM, reads the records fresh from disk, and writes
 * what changed when the work returns. A transaction that throws writes nothing. Each record is
 * replaced atomically; a transaction that writes several records writes them in the order they
 * were put, and callers order their puts so that a crash between two writes is harmless.
 *
 * <p>Thread-safe; transactions block each other and must not nest.
 */
final class E2eStore {
    /** How long a transaction waits for another process's lock before giving up. */
    static final Duration LOCK_WAIT = Duration.ofSeconds(30);
    private static final long LOCK_POLL_MS = 5;
    private static final String INDEX = "index";
    private static final int INDEX_KEY_LENGTH = 32;
    /** Record file names: 128 bits of the HMAC, as hex. */
    private static final int NAME_BYTES = 16;
    private static final ConcurrentHashMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    private final Home home;
    private final SecureRandom rng;
    private final ReentrantLock lock;

    E2eStore(Home home, SecureRandom rng) {
        this.home = home;
        this.rng = rng;
        this.lock = LOCKS.computeIfAbsent(home.e2eeLockFile().toAbsolutePath().normalize(), p -> new ReentrantLock());
    }

    /** Reads and writes of one transaction. */
    interface Tx {
        Optional<byte[]> get(String record);

        void put(String record, byte[] value);

        void delete(String record);
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Tx tx);
    }

    /** Runs {@code work} under the lock and writes what it put. Blocks for the lock at most {@link #LOCK_WAIT}. */
    <T> T transaction(Work<T> work) {
        if (lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("end-to-end store transactions do not nest");
        }
        try {
            if (!lock.tryLock(LOCK_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw ClientException.store("the end-to-end store in " + home.dir() + " stayed busy for "
                        + LOCK_WAIT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ClientException.store("interrupted while waiting for the end-to-end store", e);
        }
        try (var channel = openLockFile(); var fileLock = acquire(channel)) {
            var tx = new Transaction();
            T result = work.run(tx);
            tx.commit();
            return result;
        } catch (IOException e) {
            throw ClientException.store("cannot lock " + home.e2eeLockFile() + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private FileChannel openLockFile() throws IOException {
        Path file = home.e2eeLockFile();
        var options = java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return FileChannel.open(file, options, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        }
        return FileChannel.open(file, options);
    }

    /** The file lock, polling (another process holds it only for one transaction) until {@link #LOCK_WAIT}. */
    private FileLock acquire(FileChannel channel) throws IOException {
        long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
        while (true) {
            FileLock l;
            try {
                l = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l != null) {
                return l;
            }
            if (System.nanoTime() > deadline) {
                channel.close();
                throw ClientException.store("another process kept the end-to-end store in " + home.dir()
                        + " locked for " + LOCK_WAIT.toSeconds() + " s");
            }
            try {
                Thread.sleep(LOCK_POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                channel.close();
                throw ClientException.store("interrupted while waiting for the end-to-end store", e);
            }
        }
    }

    private final class Transaction implements Tx {
        private final Map<String, Optional<byte[]>> read = new LinkedHashMap<>();
        private final Map<String, Optional<byte[]>> written = new LinkedHashMap<>();
        private byte[] indexKey;

        @Override
        public Optional<byte[]> get(String record) {
            if (written.containsKey(record)) {
                return written.get(record).map(byte[]::clone);
            }
            return read.computeIfAbsent(record, r -> home.readRecord(fileName(r))).map(byte[]::clone);
        }

        @Override
        public void put(String record, byte[] value) {
            written.remove(record);
            written.put(record, Optional.of(value.clone()));
        }

        @Override
        public void delete(String record) {
            written.remove(record);
            written.put(record, Optional.empty());
        }

        void commit() {
            for (var e : written.entrySet()) {
                String file = fileName(e.getKey());
                if (e.getValue().isPresent()) {
                    home.writeRecord(file, e.getValue().get());
                } else {
                    home.deleteRecord(file);
                }
            }
            for (Optional<byte[]> v : read.values()) {
                v.ifPresent(Bytes::zero);
            }
            if (indexKey != null) {
                Bytes.zero(indexKey);
            }
        }

        private String fileName(String record) {
            if (indexKey == null) {
                var stored = home.readRecord(INDEX);
                if (stored.isPresent() && stored.get().length == INDEX_KEY_LENGTH) {
                    indexKey = stored.get();
                } else if (stored.isPresent()) {
                    throw ClientException.store("the end-to-end index in " + home.dir() + " is damaged");
                } else {
                    indexKey = new byte[INDEX_KEY_LENGTH];
                    rng.nextBytes(indexKey);
                    home.writeRecord(INDEX, indexKey.clone());
                }
            }
            try {
                var mac = Mac.getInstance(Algorithms.HMAC_SHA256);
                mac.init(new SecretKeySpec(indexKey, Algorithms.HMAC_SHA256));
                byte[] h = mac.doFinal(record.getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(h, 0, NAME_BYTES);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK lacks " + Algorithms.HMAC_SHA256, e);
            }
        }
    }
}
