package crumbhub.server.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A change log whose records become durable when the test says so (or at once, if auto). */
final class ManualLog implements ChangeLog {
    final List<byte[]> records = new ArrayList<>();
    final List<byte[]> snapshots = new ArrayList<>();
    private final List<Consumer<Exception>> pending = new ArrayList<>();
    private volatile boolean auto;
    private volatile Exception failure;

    ManualLog(boolean auto) {
        this.auto = auto;
    }

    @Override
    public synchronized void append(byte[] record, Consumer<Exception> done) {
        records.add(record);
        if (failure != null) {
            done.accept(failure);
        } else if (auto) {
            done.accept(null);
        } else {
            pending.add(done);
        }
    }

    @Override
    public synchronized void snapshot(byte[] state, Consumer<Exception> done) {
        snapshots.add(state);
        done.accept(null);
    }

    synchronized int pendingCount() {
        return pending.size();
    }

    /** Makes everything appended so far durable. */
    synchronized void flush() {
        for (Consumer<Exception> c : pending) {
            c.accept(null);
        }
        pending.clear();
    }

    synchronized void failFromNowOn(Exception e) {
        failure = e;
        for (Consumer<Exception> c : pending) {
            c.accept(e);
        }
        pending.clear();
    }

    void auto(boolean on) {
        auto = on;
        if (on) {
            flush();
        }
    }
}
