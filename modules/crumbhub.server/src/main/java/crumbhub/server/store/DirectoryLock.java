package crumbhub.server.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;

/**
 * An exclusive OS lock on {@code LOCK} in the store directory, so that two servers (or two
 * stores in one JVM) never append to the same log. The OS drops it when the process dies.
 */
final class DirectoryLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DirectoryLock acquire(Path dir) throws StoreException {
        var file = dir.resolve(LogFiles.LOCK_FILE);
        FileChannel channel = null;
        try {
            channel = OwnerOnly.openOrCreate(file);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new StoreException(StoreException.Kind.IN_USE,
                        "the store in " + dir + " is already open (locked by another process or store)");
            }
            return new DirectoryLock(channel, lock);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new StoreException(StoreException.Kind.IO, "cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
