package crumbhub.server;

import crumbhub.server.store.OwnerOnly;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.util.Properties;

/**
 * The format of a data directory, recorded in its {@code FORMAT} file, checked before anything
 * else in the directory is read.
 *
 * <ul>
 *   <li>1: written by 0.1.0 development builds, before {@code FORMAT} files existed:
 *       {@code server.key} (version 1) and {@code store/} (segment and snapshot headers
 *       version 1, records and snapshots with their own version bytes).</li>
 *   <li>2 (current): the same files plus {@code FORMAT}.</li>
 * </ul>
 *
 * A server refuses a directory of a newer format with a sentence that says so, and upgrades an
 * older one once the store has opened cleanly, step by step, recording the new format last, so
 * an interrupted upgrade is simply done again. Blocking file I/O; start-up and admin CLI only.
 */
final class DataFormat {
    static final String FILE = "FORMAT";
    static final int CURRENT = 2;
    /** What a directory holds before any server used it. */
    static final int EMPTY = 0;

    private DataFormat() {}

    /**
     * The format of {@code dir}: {@link #EMPTY} if it holds neither a store nor a key, 1 if it
     * holds them without a {@code FORMAT} file, else the recorded number.
     *
     * @throws IOException with a one-line reason if {@code FORMAT} is unreadable
     */
    static int read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return Files.exists(dir.resolve(ServerKey.FILE)) || Files.isDirectory(dir.resolve(Persistence.STORE_DIR))
                    && hasStoreFiles(dir.resolve(Persistence.STORE_DIR)) ? 1 : EMPTY;
        }
        var p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is not a CrumbHub FORMAT file");
        }
        String v = p.getProperty("format", "");
        if (!v.matches("[0-9]{1,6}")) {
            throw new IOException(file + " is not a CrumbHub FORMAT file (no format=N line)");
        }
        return Integer.parseInt(v);
    }

    /** True if {@code storeDir} holds a segment or snapshot (not just a lock file). */
    static boolean hasStoreFiles(Path storeDir) throws IOException {
        if (!Files.isDirectory(storeDir)) {
            return false;
        }
        try (var entries = Files.list(storeDir)) {
            return entries.map(e -> e.getFileName().toString())
                    .anyMatch(n -> (n.startsWith("log-") || n.startsWith("snap-")) && !n.endsWith(".tmp"));
        }
    }

    /** The sentence that refuses a directory written by a newer server. */
    static String newerMessage(Path dir, int format) {
        return "the data directory " + dir + " has format " + format + ", written by a newer crumbhub-server; this one ("
                + Version.current() + ") reads formats up to " + CURRENT
                + ": run the newer crumbhub-server, or restore a backup made by this version";
    }

    /** Records {@link #CURRENT} in {@code dir} atomically and durably. */
    static void write(Path dir) throws IOException {
        Path tmp = dir.resolve(FILE + ".tmp");
        String text = "# CrumbHub data directory format; written by the server, do not edit\n"
                + "format=" + CURRENT + "\nwritten_by=" + Version.current() + "\n";
        Files.deleteIfExists(tmp);
        OwnerOnly.writeNew(tmp, text.getBytes(StandardCharsets.UTF_8));
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(dir);
    }

    /** Makes renames and new entries in {@code dir} durable. */
    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
