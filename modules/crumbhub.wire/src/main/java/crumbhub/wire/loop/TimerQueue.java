package crumbhub.wire.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.PriorityQueue;

/**
 * The timers of one event loop: a binary heap ordered by deadline, then by scheduling order.
 * Owned by the loop thread; only {@link Task#cancel()} may be called from other threads.
 * Cancelled timers are dropped lazily, when they reach the head or when the heap is purged.
 */
final class TimerQueue {
    /** Heap size below which cancelled entries are never purged in bulk. */
    private static final int MIN_PURGE_SIZE = 1024;

    private final PriorityQueue<Task> heap = new PriorityQueue<>(TimerQueue::compare);
    private long seq;
    private int purgeAt = MIN_PURGE_SIZE;

    static final class Task implements Cancellable {
        private static final int PENDING = 0;
        private static final int CANCELLED = 1;
        private static final int STARTED = 2;

        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Task.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final long deadline;
        /** Dropped on cancel, so a cancelled timer waiting in the heap keeps nothing else alive. */
        private Runnable action;
        /** PENDING, CANCELLED or STARTED, through {@link #STATE}: a plain field, as every connection has a timer. */
        private volatile int state = PENDING;
        long order;

        Task(long deadline, Runnable action) {
            this.deadline = deadline;
            this.action = action;
        }

        @Override
        public boolean cancel() {
            if (STATE.compareAndSet(this, PENDING, CANCELLED)) {
                action = null; // never read again: only a task that start()ed runs its action
                return true;
            }
            return false;
        }

        /** The action; only after {@link #start()} succeeded. */
        Runnable action() {
            return action;
        }

        @Override
        public boolean isCancelled() {
            return state == CANCELLED;
        }

        /** Claims the task for running; false if it was cancelled first. */
        boolean start() {
            return STATE.compareAndSet(this, PENDING, STARTED);
        }
    }

    private static int compare(Task a, Task b) {
        // nanoTime values are compared by difference, which survives wrap-around
        int c = Long.signum(a.deadline - b.deadline);
        return c != 0 ? c : Long.compare(a.order, b.order);
    }

    void add(Task t) {
        if (t.isCancelled()) {
            return;
        }
        if (heap.size() >= purgeAt) {
            heap.removeIf(Task::isCancelled);
            purgeAt = Math.max(MIN_PURGE_SIZE, heap.size() * 2);
        }
        t.order = seq++;
        heap.add(t);
    }

    private void dropCancelledHead() {
        while (!heap.isEmpty() && heap.peek().isCancelled()) {
            heap.poll();
        }
    }

    /** Whether a live timer is waiting. */
    boolean isEmpty() {
        dropCancelledHead();
        return heap.isEmpty();
    }

    /** The earliest live deadline; call only when {@link #isEmpty()} is false. */
    long nextDeadline() {
        dropCancelledHead();
        return heap.peek().deadline;
    }

    /** Removes and returns a live timer whose deadline is at or before {@code now}, or null. */
    Task pollExpired(long now) {
        dropCancelledHead();
        Task head = heap.peek();
        if (head == null || head.deadline - now > 0) {
            return null;
        }
        return heap.poll();
    }

    void clear() {
        heap.clear();
    }

    int size() {
        return heap.size();
    }
}
