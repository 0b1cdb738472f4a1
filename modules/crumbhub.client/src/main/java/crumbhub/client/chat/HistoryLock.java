package crumbhub.client.chat;

import crumbhub.client.ClientException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lock every writer of one account's history holds while it appends or updates the search
 * index: {@code chat}, {@code daemon} and {@code listen} (one of them at a time receives, but
 * {@code send} may run beside any of them) and the {@code history}/{@code search} commands.
 *
 * <p>Two layers: a {@link ReentrantLock} per lock file for the threads of this process (a
 * {@link FileLock} is held by the whole JVM, and a second {@code lock()} on the same file from
 * this JVM would throw), then the {@link FileLock} for other processes. Held for one append or
 * one search: milliseconds. Blocking.
 */
final class HistoryLock {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path file;
    private final ReentrantLock local;

    HistoryLock(Path file) {
        this.file = file.toAbsolutePath().normalize();
        this.local = IN_PROCESS.computeIfAbsent(this.file, f -> new ReentrantLock());
    }

    /** A held lock; closing releases it. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** Blocks until this thread holds the lock (re-entrant within the thread). */
    Held acquire() {
        local.lock();
        if (local.getHoldCount() > 1) {
            return local::unlock;
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.lock();
            FileChannel open = channel;
            return () -> {
                try {
                    lock.release();
                    open.close();
                } catch (IOException e) {
                    throw ClientException.store("cannot release " + file + ": " + HistoryFile.reason(e), e);
                } finally {
                    local.unlock();
                }
            };
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            local.unlock();
            if (e instanceof IOException io) {
                throw ClientException.store("cannot lock " + file + ": " + HistoryFile.reason(io), io);
            }
            throw (RuntimeException) e;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing a channel that failed to lock: the lock was never taken, nothing to undo
            crumbhub.wire.log.Log.get(HistoryLock.class.getName()).debug("history_lock_close_failed");
        }
    }
}
