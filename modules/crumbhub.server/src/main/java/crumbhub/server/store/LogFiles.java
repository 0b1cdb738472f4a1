package crumbhub.server.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * Names and whole-file operations of the store directory. A file only ever appears under its
 * final name complete: it is written as {@code NAME.tmp}, forced, renamed atomically, and the
 * directory is forced. Leftover {@code .tmp} files are from a crash and are deleted on open.
 * Blocking file I/O: store threads and {@code open} only.
 */
final class LogFiles {

    static final String SEGMENT_PREFIX = "log-";
    static final String SEGMENT_SUFFIX = ".seg";
    static final String SNAPSHOT_PREFIX = "snap-";
    static final String SNAPSHOT_SUFFIX = ".snap";
    static final String TEMP_SUFFIX = ".tmp";
    static final String LOCK_FILE = "LOCK";
    private static final int SEQ_DIGITS = 20;

    private LogFiles() {
    }

    static String segmentName(long firstSeq) {
        return SEGMENT_PREFIX + digits(firstSeq) + SEGMENT_SUFFIX;
    }

    static String snapshotName(long seq) {
        return SNAPSHOT_PREFIX + digits(seq) + SNAPSHOT_SUFFIX;
    }

    private static String digits(long seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("negative sequence number " + seq);
        }
        var text = Long.toString(seq);
        return "0".repeat(SEQ_DIGITS - text.length()) + text;
    }

    /** The sequence number in a name of the form prefix + 20 digits + suffix, if it has that form. */
    static OptionalLong parseSeq(String name, String prefix, String suffix) {
        if (name.length() != prefix.length() + SEQ_DIGITS + suffix.length()
                || !name.startsWith(prefix) || !name.endsWith(suffix)) {
            return OptionalLong.empty();
        }
        var number = name.substring(prefix.length(), prefix.length() + SEQ_DIGITS);
        for (int i = 0; i < number.length(); i++) {
            if (number.charAt(i) < '0' || number.charAt(i) > '9') {
                return OptionalLong.empty();
            }
        }
        try {
            return OptionalLong.of(Long.parseLong(number));
        } catch (NumberFormatException tooLarge) {
            return OptionalLong.empty();
        }
    }

    /** The segments and snapshots of a directory, by sequence number. */
    record Listing(TreeMap<Long, Path> segments, TreeMap<Long, Path> snapshots) {
    }

    /** Lists the directory and deletes leftover temporary files of ours. Other files are left alone. */
    static Listing list(Path dir) throws IOException {
        var segments = new TreeMap<Long, Path>();
        var snapshots = new TreeMap<Long, Path>();
        var temps = new ArrayList<Path>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                var name = entry.getFileName().toString();
                if (name.endsWith(TEMP_SUFFIX)) {
                    var base = name.substring(0, name.length() - TEMP_SUFFIX.length());
                    if (parseSeq(base, SEGMENT_PREFIX, SEGMENT_SUFFIX).isPresent()
                            || parseSeq(base, SNAPSHOT_PREFIX, SNAPSHOT_SUFFIX).isPresent()) {
                        temps.add(entry);
                    }
                    continue;
                }
                parseSeq(name, SEGMENT_PREFIX, SEGMENT_SUFFIX).ifPresent(seq -> segments.put(seq, entry));
                parseSeq(name, SNAPSHOT_PREFIX, SNAPSHOT_SUFFIX).ifPresent(seq -> snapshots.put(seq, entry));
            }
        }
        for (Path temp : temps) {
            Files.deleteIfExists(temp);
        }
        return new Listing(segments, snapshots);
    }

    /**
     * Creates {@code target} holding exactly {@code content}, atomically and durably:
     * temp file, write, force, rename, force the directory. Owner-only permissions where the
     * file system has POSIX permissions. On failure the temp file is removed and nothing
     * appears under {@code target}.
     */
    static void writeAtomically(Path target, List<ByteBuffer> content, StoreOptions.ChannelOpener opener)
            throws IOException {
        var temp = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
        try {
            createOwnerOnly(temp);
            try (FileChannel channel = opener.open(temp, Set.of(StandardOpenOption.WRITE))) {
                long position = 0;
                for (ByteBuffer buffer : content) {
                    var part = buffer.duplicate();
                    while (part.hasRemaining()) {
                        position += channel.write(part, position);
                    }
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(target.getParent(), opener);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static void createOwnerOnly(Path file) throws IOException {
        Files.deleteIfExists(file);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, OwnerOnly.FILE);
        } else {
            Files.createFile(file);
        }
    }

    /** Makes a directory's entries (created, renamed, deleted files) durable. */
    static void forceDirectory(Path dir, StoreOptions.ChannelOpener opener) throws IOException {
        try (FileChannel channel = opener.open(dir, Set.of(StandardOpenOption.READ))) {
            channel.force(true);
        }
    }
}
