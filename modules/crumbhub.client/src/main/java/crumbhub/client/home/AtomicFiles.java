package crumbhub.client.home;

import crumbhub.client.ClientException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * File operations of the home directory: private modes, crash-safe replacement, and reads with
 * a size bound. Blocking; called from the command's thread, never from an event loop.
 *
 * <p>A write goes to a fresh temporary file in the same directory, created with mode 0600, is
 * forced to disk, renamed over the target atomically, and the directory is forced too; a crash
 * leaves either the old or the new content, never a mix.
 */
public final class AtomicFiles {
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final SecureRandom TEMP_NAMES = new SecureRandom();

    private AtomicFiles() {}

    /** Creates {@code dir} and missing parents; a directory created here gets mode 0700. */
    public static void createPrivateDirectory(Path dir) {
        try {
            if (Files.isDirectory(dir)) {
                return;
            }
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.createDirectory(dir, attributes(dir.toAbsolutePath().getParent(), DIR_MODE));
            if (posix(dir)) {
                Files.setPosixFilePermissions(dir, DIR_MODE); // the umask may have narrowed the attribute
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw ClientException.store(dir + " exists and is not a directory", e);
            }
        } catch (IOException e) {
            throw ClientException.store("cannot create directory " + dir + ": " + reason(e), e);
        }
    }

    /** Replaces {@code target} with {@code content}, atomically and durably, mode 0600. */
    public static void write(Path target, byte[] content) {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = dir.resolve("." + target.getFileName() + ".tmp-" + HexFormat.of().toHexDigits(TEMP_NAMES.nextLong()));
        try {
            try (var ch = FileChannel.open(temp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    attributes(dir, FILE_MODE))) {
                var buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                ch.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(dir);
        } catch (IOException e) {
            deleteQuietly(temp, e);
            throw ClientException.store("cannot write " + target + ": " + reason(e), e);
        }
    }

    /** The file's bytes, or empty if it does not exist; a file over {@code maxBytes} is an error. */
    public static Optional<byte[]> read(Path file, int maxBytes) {
        try (var ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > maxBytes) {
                throw ClientException.store(file + " is too large (" + size + " bytes); it is not a CrumbHub file");
            }
            var buffer = ByteBuffer.allocate((int) size);
            while (buffer.hasRemaining()) {
                if (ch.read(buffer) < 0) {
                    throw ClientException.store(file + " shrank while being read");
                }
            }
            return Optional.of(buffer.array());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw ClientException.store("cannot read " + file + ": " + reason(e), e);
        }
    }

    /** Renames {@code from} over {@code to} atomically and forces the directory. */
    public static void rename(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(to.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw ClientException.store("cannot rename " + from + " to " + to + ": " + reason(e), e);
        }
    }

    /** Deletes {@code file} if present and forces the directory. */
    public static void delete(Path file) {
        try {
            if (Files.deleteIfExists(file)) {
                forceDirectory(file.toAbsolutePath().getParent());
            }
        } catch (IOException e) {
            throw ClientException.store("cannot delete " + file + ": " + reason(e), e);
        }
    }

    /** Whether group or others have any permission on {@code path} (false where there are no POSIX modes). */
    public static boolean isOpenToOthers(Path path) {
        try {
            if (!posix(path)) {
                return false;
            }
            var perms = Files.getPosixFilePermissions(path);
            perms.retainAll(EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                    PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
                    PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE));
            return !perms.isEmpty();
        } catch (IOException e) {
            throw ClientException.store("cannot read the permissions of " + path + ": " + reason(e), e);
        }
    }

    /**
     * Opens {@code file} for appending, creating it with mode 0600 if it does not exist (the
     * directory is forced after a creation, so the new name survives a crash). The caller closes it.
     */
    public static FileChannel openPrivateForAppend(Path file) {
        try {
            boolean created = Files.notExists(file);
            var ch = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE), attributes(file.toAbsolutePath().getParent(), FILE_MODE));
            if (created) {
                forceDirectory(file.toAbsolutePath().getParent());
            }
            return ch;
        } catch (IOException e) {
            throw ClientException.store("cannot open " + file + ": " + reason(e), e);
        }
    }

    /**
     * Creates a fresh temporary file (mode 0600) beside {@code target}, to be filled and then
     * renamed over it with {@link #rename}. The caller closes the channel.
     */
    public static Path createPrivateTemp(Path target) {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = dir.resolve("." + target.getFileName() + ".tmp-" + HexFormat.of().toHexDigits(TEMP_NAMES.nextLong()));
        try {
            Files.createFile(temp, attributes(dir, FILE_MODE));
            return temp;
        } catch (IOException e) {
            throw ClientException.store("cannot create " + temp + ": " + reason(e), e);
        }
    }

    /** Deletes {@code dir} and everything below it, if it exists. */
    public static void deleteTree(Path dir) {
        if (Files.notExists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
            forceDirectory(dir.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw ClientException.store("cannot delete " + dir + ": " + reason(e), e);
        }
    }

    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private static void forceDirectory(Path dir) throws IOException {
        if (!posix(dir)) {
            return; // directories cannot be opened for force() everywhere; POSIX systems can
        }
        try (var ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static void deleteQuietly(Path temp, IOException primary) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }

    private static boolean posix(Path p) {
        Path existing = p.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing != null
               && existing.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<?>[] attributes(Path dir, Set<PosixFilePermission> mode) {
        return posix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)}
                : new FileAttribute<?>[0];
    }
}
