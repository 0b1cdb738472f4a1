package crumbhub.server.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Every file and directory the server creates is its owner's alone: directories 0700, files
 * 0600, given to the system call that creates them, so no umask and no window between creating
 * and restricting lets another local user in (docs/security.md, "Files and modes"). The umask
 * can only take bits away from these modes, never add any. Blocking file I/O, any thread.
 */
public final class OwnerOnly {
    /** rwx------ */
    public static final FileAttribute<Set<PosixFilePermission>> DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    /** rw------- */
    public static final FileAttribute<Set<PosixFilePermission>> FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private OwnerOnly() {}

    /** Creates {@code dir} and its missing parents, each 0700; an existing directory is left as it is. */
    public static void createDirectories(Path dir) throws IOException {
        Files.createDirectories(dir, DIR);
    }

    /** Creates the new directory {@code dir}, 0700; fails if anything (a symlink too) is already there. */
    public static void createDirectory(Path dir) throws IOException {
        Files.createDirectory(dir, DIR);
    }

    /** Opens {@code file} for writing, creating it 0600 if it does not exist; never follows a symlink. */
    public static FileChannel openOrCreate(Path file) throws IOException {
        return FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS), FILE);
    }

    /**
     * Creates the new file {@code file}, 0600, holding {@code content}, forced to disk; fails if
     * anything (a symlink too) is already there. The caller forces the directory when the new
     * entry must survive a crash.
     */
    public static void writeNew(Path file, byte[] content) throws IOException {
        try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                FILE)) {
            var buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    /**
     * Null if {@code path} (or what it links to) gives no permission to its group or to others, else one line for the
     * operator naming the path and the {@code chmod} that fixes it ({@code 700} for a directory,
     * {@code 600} for a file). A file system without POSIX permissions has nothing to check.
     */
    public static String exposure(Path path) throws IOException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(path);
        } catch (UnsupportedOperationException e) {
            return null;
        }
        if (perms.stream().noneMatch(OTHERS::contains)) {
            return null;
        }
        boolean dir = Files.isDirectory(path);
        return path + " is " + PosixFilePermissions.toString(perms) + ", open to other users; run: chmod "
                + (dir ? "700 " : "600 ") + path;
    }
}
