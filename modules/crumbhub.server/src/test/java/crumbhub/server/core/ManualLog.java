package crumbhub.server.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A change log whose records become durable when the test says so (or at once, if auto). Like
 * the store it holds after a failure: every later append fails until {@link #resume()}.
 * {@link #records} holds what is durable, in order.
 */
final class ManualLog implements ChangeLog {
    final List<byte[]> records = new ArrayList<>();
    final List<byte[]> snapshots = new ArrayList<>();
    private final List<byte[]> pendingRecords = new ArrayList<>();
    private final List<Consumer<Exception>> pending = new ArrayList<>();
    private volatile boolean auto;
    private volatile Exception failure;
    private boolean holding;
    int resumes;

    ManualLog(boolean auto) {
        this.auto = auto;
    }

    @Override
    public synchronized void append(byte[] record, Consumer<Exception> done) {
        if (failure != null || holding) {
            holding = true;
            done.accept(failure != null ? failure : new java.io.IOException("held after an earlier failure"));
        } else if (auto) {
            records.add(record);
            done.accept(null);
        } else {
            pendingRecords.add(record);
            pending.add(done);
        }
    }

    @Override
    public synchronized void snapshot(List<java.nio.ByteBuffer> parts, Consumer<Exception> done) {
        if (failure != null || holding) {
            done.accept(new java.io.IOException("held"));
            return;
        }
        var state = new java.io.ByteArrayOutputStream();
        parts.forEach(p -> {
            byte[] b = new byte[p.remaining()];
            p.duplicate().get(b);
            state.writeBytes(b);
        });
        snapshots.add(state.toByteArray());
        done.accept(null);
    }

    @Override
    public synchronized void resume() {
        holding = false;
        resumes++;
    }

    synchronized int pendingCount() {
        return pending.size();
    }

    /** Makes everything appended so far durable. */
    synchronized void flush() {
        records.addAll(pendingRecords);
        pendingRecords.clear();
        for (Consumer<Exception> c : pending) {
            c.accept(null);
        }
        pending.clear();
    }

    /** Makes the oldest {@code n} records appended so far durable, in order. */
    synchronized void flush(int n) {
        for (int i = 0; i < n; i++) {
            records.add(pendingRecords.removeFirst());
            pending.removeFirst().accept(null);
        }
    }

    /** Fails what is pending and every append until {@link #heal()} (and then until resumed). */
    synchronized void failFromNowOn(Exception e) {
        failure = e;
        holding = true;
        pendingRecords.clear();
        for (Consumer<Exception> c : pending) {
            c.accept(e);
        }
        pending.clear();
    }

    /** The disk works again; appends still fail until the journal resumes the hold. */
    synchronized void heal() {
        failure = null;
    }

    void auto(boolean on) {
        auto = on;
        if (on) {
            flush();
        }
    }
}
