package crumbhub.server;

import crumbhub.server.domain.State;
import crumbhub.server.domain.User;
import crumbhub.server.store.BackupBlobs;
import crumbhub.server.store.FileBlobs;
import crumbhub.server.store.OwnerOnly;
import crumbhub.server.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Backups and restores. A backup is a data directory of its own: {@code server.key}, a
 * {@code FORMAT} file and a store holding one snapshot of the state, taken once every change
 * before it was durable. A restore copies a backup into a stopped server's data directory,
 * checks that the copy replays, and only then puts it in place. Both report progress as
 * lines for the operator. Blocking file I/O: the admin thread (backup) or the CLI (restore).
 */
final class Backups {
    /** Bytes copied between two progress lines of a restore. */
    static final long PROGRESS_EVERY = 64L << 20;
    private static final String STAGING = "restore-in-progress";

    private Backups() {}

    /** What a restored or backed-up state holds, for the operator. */
    record Summary(int users, int rooms, int messages, long lastSeq) {
        static Summary of(State s) {
            Set<String> rooms = new HashSet<>();
            for (User u : s.users()) {
                rooms.addAll(s.roomsOf(u));
            }
            return new Summary(s.userCount(), rooms.size(), s.messageCount(), s.lastSeq());
        }

        @Override
        public String toString() {
            return users + " users, " + rooms + " rooms, " + messages + " messages waiting for delivery, last seq "
                    + lastSeq;
        }
    }

    /**
     * Writes a backup of {@code snapshot} (the encoded state) and the key file {@code serverKey}
     * as the new data directory {@code dest}, then reads it back to check it. {@code dest} is
     * created here, 0700, and must not exist: not as a directory, a file or a symlink (which is
     * never followed), so a backup never lands in a directory someone else prepared. Its missing
     * parents are created 0700.
     */
    static Summary write(Path dest, byte[] snapshot, Path dataDir, Consumer<String> progress)
            throws IOException, StoreException, InterruptedException {
        Path serverKey = dataDir.resolve(ServerKey.FILE);
        Path parent = dest.toAbsolutePath().getParent();
        if (parent != null) {
            OwnerOnly.createDirectories(parent);
        }
        try {
            OwnerOnly.createDirectory(dest);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(dest + " already exists; a backup is written to a new directory of its own");
        }
        progress.accept("writing the snapshot (" + bytes(snapshot.length) + ") to " + dest);
        Persistence.writeSnapshotStore(dest, snapshot);
        byte[] key = Files.readAllBytes(serverKey);
        try {
            OwnerOnly.writeNew(dest.resolve(ServerKey.FILE), key);
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
        }
        DataFormat.write(dest);
        progress.accept("copying the accounts' history backups (" + BackupBlobs.files(dataDir).size() + " streams)");
        BackupBlobs.copyTree(dataDir, dest);
        progress.accept("copying the finished file blobs (" + FileBlobs.files(dataDir).size() / 2 + " files)");
        FileBlobs.copyTree(dataDir, dest);
        progress.accept("signing the backup");
        BackupSignature.sign(dest);
        progress.accept("checking the backup");
        BackupSignature.verify(dest, dest);
        return check(dest);
    }

    /** Opens the store in {@code dataDir}, replays it and checks its key; what it holds. */
    static Summary check(Path dataDir) throws IOException, StoreException {
        try (Persistence p = Persistence.open(dataDir)) {
            ServerKey.load(dataDir.resolve(ServerKey.FILE)).close();
            return Summary.of(p.state());
        }
    }

    /**
     * Makes {@code dataDir} a copy of the backup {@code backup}. Refuses if a server runs on
     * {@code dataDir} (its store is locked), if {@code dataDir} already holds a key or a store
     * and {@code force} is false, or if the backup does not replay. With {@code force} the old
     * key, store and format file are moved into {@code dataDir/replaced-TIMESTAMP/}, never deleted.
     * The backup must carry a valid {@link BackupSignature} (checked on the copy that is put in
     * place), unless {@code unsigned} accepts one made before backups were signed; and if
     * {@code dataDir} already holds a server key, the backup must be of that server.
     *
     * @throws IOException with a one-line reason for the operator
     */
    static Summary restore(Path dataDir, Path backup, boolean force, Consumer<String> progress)
            throws IOException, InterruptedException {
        return restore(dataDir, backup, force, false, progress);
    }

    /** As {@link #restore(Path, Path, boolean, Consumer)}; {@code unsigned} accepts a backup without a signature. */
    static Summary restore(Path dataDir, Path backup, boolean force, boolean unsigned, Consumer<String> progress)
            throws IOException, InterruptedException {
        Path data = dataDir.toAbsolutePath().normalize();
        Path from = backup.toAbsolutePath().normalize();
        checkBackup(from);
        boolean signed = BackupSignature.isSigned(from);
        if (!signed && !unsigned) {
            throw new IOException("the backup " + from + " is not signed (made before backups were signed, or its"
                    + " signature was removed); restore it only if you trust it, with --unsigned");
        }
        checkSameServer(data, from);
        OwnerOnly.createDirectories(data);
        Path store = data.resolve(Persistence.STORE_DIR);
        boolean storeExisted = Files.isDirectory(store);
        OwnerOnly.createDirectories(store);
        try (FileChannel lockFile = OwnerOnly.openOrCreate(store.resolve("LOCK"));
             FileLock lock = tryLock(lockFile, data)) {
            boolean occupied = Files.exists(data.resolve(ServerKey.FILE)) || DataFormat.hasStoreFiles(store);
            if (occupied && !force) {
                if (!storeExisted) {
                    deleteLockAndDir(store);
                }
                throw new IOException(data + " already holds a server (server.key or store/); stop it and pass --force"
                        + " to set them aside and restore anyway");
            }
            Path staging = data.resolve(STAGING);
            deleteTree(staging);
            OwnerOnly.createDirectory(staging);
            OwnerOnly.createDirectory(staging.resolve(Persistence.STORE_DIR));
            copyBackup(from, staging, progress);
            if (signed) {
                progress.accept("checking the signature");
                BackupSignature.verify(staging, from);
            }
            progress.accept("checking that the copy replays");
            Summary summary;
            try {
                summary = check(staging);
            } catch (StoreException e) {
                throw new IOException("the backup " + from + " does not replay: " + e.getMessage());
            }
            progress.accept("the copy holds " + summary);
            if (occupied) {
                Path aside = data.resolve("replaced-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                        .withZone(ZoneOffset.UTC).format(Instant.now()));
                OwnerOnly.createDirectories(aside);
                for (String name : List.of(ServerKey.FILE, Persistence.STORE_DIR, DataFormat.FILE, BackupBlobs.DIR, FileBlobs.DIR)) {
                    if (Files.exists(data.resolve(name))) {
                        Files.move(data.resolve(name), aside.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                    }
                }
                progress.accept("moved the old server.key and store to " + aside);
            } else {
                deleteLockAndDir(store);
            }
            Files.deleteIfExists(staging.resolve(BackupSignature.FILE));
            if (Files.exists(staging.resolve(BackupBlobs.DIR)) && Files.exists(data.resolve(BackupBlobs.DIR))) {
                deleteTree(data.resolve(BackupBlobs.DIR)); // left by a server that never wrote a store
            }
            if (Files.exists(staging.resolve(FileBlobs.DIR)) && Files.exists(data.resolve(FileBlobs.DIR))) {
                deleteTree(data.resolve(FileBlobs.DIR)); // likewise
            }
            for (String name : List.of(Persistence.STORE_DIR, ServerKey.FILE, DataFormat.FILE, BackupBlobs.DIR, FileBlobs.DIR)) {
                if (Files.exists(staging.resolve(name))) {
                    Files.move(staging.resolve(name), data.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                }
            }
            Files.delete(staging);
            DataFormat.forceDirectory(data);
            return summary;
        }
    }

    private static FileLock tryLock(FileChannel ch, Path data) throws IOException {
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new IOException("a crumbhub-server is running on " + data + "; stop it before restoring");
        }
        return lock;
    }

    /**
     * Refuses a backup of another server over a data directory that holds a server key: the
     * restored server would answer with the backup's key, and its clients would see a changed key.
     */
    private static void checkSameServer(Path data, Path from) throws IOException {
        Path ours = data.resolve(ServerKey.FILE);
        if (!Files.exists(ours)) {
            return;
        }
        String mine;
        String theirs;
        try (var a = ServerKey.load(ours); var b = ServerKey.load(from.resolve(ServerKey.FILE))) {
            mine = crumbhub.crypto.Fingerprint.of(a.publicKey());
            theirs = crumbhub.crypto.Fingerprint.of(b.publicKey());
        }
        if (!mine.equals(theirs)) {
            throw new IOException("the backup " + from + " is of another server (key " + theirs + "), not of the one in "
                    + data + " (key " + mine + "); restore it into a new data directory to run that server");
        }
    }

    private static void checkBackup(Path from) throws IOException {
        if (!Files.isDirectory(from)) {
            throw new IOException("the backup " + from + " is not a directory");
        }
        if (!Files.isRegularFile(from.resolve(ServerKey.FILE)) || !DataFormat.hasStoreFiles(from.resolve(Persistence.STORE_DIR))) {
            throw new IOException(from + " is not a CrumbHub backup (it needs server.key and store/)");
        }
        int format = DataFormat.read(from);
        if (format > DataFormat.CURRENT) {
            throw new IOException(DataFormat.newerMessage(from, format));
        }
    }

    /** Copies the backup's key, format file and store files (not its lock), forcing each, with progress lines. */
    private static void copyBackup(Path from, Path to, Consumer<String> progress) throws IOException {
        List<Path> files = new ArrayList<>();
        try (var entries = Files.list(from.resolve(Persistence.STORE_DIR))) {
            entries.filter(p -> BackupSignature.isStoreFile(p.getFileName().toString())).sorted().forEach(files::add);
        }
        long total = 0;
        for (Path f : files) {
            total += Files.size(f);
        }
        progress.accept("copying " + files.size() + " store files (" + bytes(total) + ") from " + from);
        long[] done = {0, 0};
        long all = total;
        for (Path f : files) {
            copyForced(f, to.resolve(Persistence.STORE_DIR).resolve(f.getFileName()), n -> {
                done[0] += n;
                if (done[0] - done[1] >= PROGRESS_EVERY) {
                    done[1] = done[0];
                    progress.accept("copied " + bytes(done[0]) + " of " + bytes(all) + " (" + done[0] * 100 / all + "%)");
                }
            });
        }
        copyForced(from.resolve(ServerKey.FILE), to.resolve(ServerKey.FILE), n -> { });
        List<Path> streams = BackupBlobs.files(from);
        if (!streams.isEmpty()) {
            progress.accept("copying the accounts' history backups (" + streams.size() + " streams)");
            BackupBlobs.copyTree(from, to);
        }
        if (!FileBlobs.files(from).isEmpty()) {
            progress.accept("copying the file blobs (" + FileBlobs.files(from).size() / 2 + " files)");
            FileBlobs.copyTree(from, to);
        }
        for (String name : List.of(DataFormat.FILE, BackupSignature.FILE)) {
            if (Files.exists(from.resolve(name))) {
                copyForced(from.resolve(name), to.resolve(name), n -> { });
            }
        }
        DataFormat.forceDirectory(to.resolve(Persistence.STORE_DIR));
        DataFormat.forceDirectory(to);
        progress.accept("copied " + bytes(total));
    }

    private interface Progress {
        void copied(long n);
    }

    private static void copyForced(Path from, Path to, Progress progress) throws IOException {
        Files.createFile(to, OwnerOnly.FILE);
        try (InputStream in = Files.newInputStream(from);
             FileChannel ch = FileChannel.open(to, StandardOpenOption.WRITE);
             OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                progress.copied(n);
            }
            out.flush();
            ch.force(true);
        }
    }

    private static void deleteLockAndDir(Path store) throws IOException {
        Files.deleteIfExists(store.resolve("LOCK"));
        Files.deleteIfExists(store);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format("%.1f KiB", n / 1024.0);
        }
        if (n < 1024L * 1024 * 1024) {
            return String.format("%.1f MiB", n / (1024.0 * 1024));
        }
        return String.format("%.2f GiB", n / (1024.0 * 1024 * 1024));
    }
}
