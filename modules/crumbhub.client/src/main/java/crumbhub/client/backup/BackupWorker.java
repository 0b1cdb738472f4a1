package crumbhub.client.backup;

import crumbhub.client.ClientException;
import crumbhub.client.chat.HistoryRecord;
import crumbhub.client.model.ConversationId;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The history backup of a long-running session (the chat): one thread of its own restores the
 * account's backup once this device holds the key, then seals what the session records once it has
 * been quiet for {@code flushDelay} and uploads it, retrying after {@code retry} while the server
 * cannot be reached. The session's threads only call {@link #recorded} (file I/O, no network) and
 * never wait for this thread, so a slow or absent server never blocks the UI or the session.
 *
 * <pre>
 *   start -> [restore once approved] -> idle --recorded--> dirty --quiet for flushDelay--> flush, upload
 *                                          ^                                                 |
 *                                          +------------- ok / failed: wait retry -----------+
 *   close(grace): flush and upload what is left, then stop
 * </pre>
 */
public final class BackupWorker implements HistoryTap {
    /** How long the session stays quiet before its lines are sealed: fewer, fuller batches. */
    public static final Duration FLUSH_DELAY = Duration.ofSeconds(10);
    /** How long to wait after a failed upload or restore. */
    public static final Duration RETRY = Duration.ofSeconds(30);

    private final HistoryBackup backup;
    private final HistoryBackup.Link link;
    private final Consumer<Map<ConversationId, List<HistoryRecord>>> sink;
    private final Consumer<String> warnings;
    private final Duration flushDelay;
    private final Thread thread;
    private boolean dirty;
    private boolean stopping;
    private long lastRecordNanos;
    private String lastProblem;

    /**
     * @param sink     receives restored lines; it stores them in the local history before it returns
     * @param warnings one sentence each, shown to the user
     */
    public BackupWorker(HistoryBackup backup, HistoryBackup.Link link,
                        Consumer<Map<ConversationId, List<HistoryRecord>>> sink, Consumer<String> warnings,
                        Duration flushDelay) {
        this.backup = backup;
        this.link = link;
        this.sink = sink;
        this.warnings = warnings;
        this.flushDelay = flushDelay;
        this.thread = Thread.ofPlatform().name("crumbhub-history-backup").daemon(true).unstarted(this::run);
    }

    public void start() {
        thread.start();
    }

    /** The session's thread: adds the lines to the open batch and wakes the worker. Never throws. */
    @Override
    public void recorded(ConversationId conversation, List<HistoryRecord> records) {
        try {
            backup.recorded(conversation, records);
        } catch (ClientException e) {
            warn("the history backup could not record " + conversation.label() + ": " + e.getMessage());
            return;
        }
        synchronized (this) {
            dirty = true;
            lastRecordNanos = System.nanoTime();
            notifyAll();
        }
    }

    /**
     * Stops the worker after it sealed and uploaded what was recorded, waiting up to {@code grace};
     * what is not uploaded by then stays in the home and goes at the next start. Blocks the caller.
     */
    public void close(Duration grace) throws InterruptedException {
        synchronized (this) {
            stopping = true;
            notifyAll();
        }
        thread.join(grace);
        if (thread.isAlive()) {
            thread.interrupt();
        }
        backup.close();
    }

    private void run() {
        boolean restored = false;
        boolean failed = false;
        while (true) {
            boolean stop;
            synchronized (this) {
                try {
                    long waitMs = failed ? RETRY.toMillis() : dirty ? quietLeftMillis() : 0;
                    if (!stopping && (failed || dirty || restored) && waitMs > 0) {
                        wait(waitMs);
                    } else if (!stopping && !dirty && restored) {
                        wait();
                    }
                } catch (InterruptedException e) {
                    return;
                }
                stop = stopping;
                if (!stop && dirty && quietLeftMillis() > 0 && !failed) {
                    continue;
                }
                dirty = false;
            }
            failed = false;
            try {
                if (!restored) {
                    restored = restoreOnce();
                }
                backup.flush();
                var up = backup.upload(link);
                up.problem().ifPresent(this::warn);
            } catch (ClientException e) {
                failed = true;
                if (e.kind() != ClientException.Kind.NETWORK) {
                    warn("the history backup: " + e.getMessage());
                }
                if (!stop) {
                    continue;
                }
            }
            if (stop) {
                return;
            }
        }
    }

    /** Restores once this device holds the key; true when there is nothing more to restore. */
    private boolean restoreOnce() {
        if (backup.restoredOnce()) {
            return true;
        }
        var r = backup.restore(link, sink);
        r.problems().forEach(this::warn);
        return true;
    }

    private long quietLeftMillis() {
        long quiet = (System.nanoTime() - lastRecordNanos) / 1_000_000;
        return Math.max(0, flushDelay.toMillis() - quiet);
    }

    private void warn(String text) {
        if (!text.equals(lastProblem)) {
            lastProblem = text;
            warnings.accept(text);
        }
    }
}
