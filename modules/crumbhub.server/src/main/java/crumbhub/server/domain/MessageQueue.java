package crumbhub.server.domain;

import java.util.Arrays;
import java.util.HashMap;

/**
 * A device's mailbox: the unacknowledged messages for it, in increasing seq order, in a ring
 * buffer that supports index access so a catch-up can binary-search its position.
 */
public final class MessageQueue {
    /**
     * An emptied ring at most this long is kept: a busy device's mailbox fills and empties with
     * every acknowledgement (clients ACK every few hundred messages at most), and keeping its ring
     * saves allocating it again, growing from 8, each time. Larger rings (a device that was away)
     * are dropped, so an idle device holds at most 2 KB.
     */
    static final int KEEP_EMPTY = 512;

    private Message[] ring = new Message[8];
    private int head;
    private int size;
    /** The sum of {@link Message#charge()} over the queued messages (the mailbox quota, {@link Quotas}). */
    private long bytes;
    /**
     * Per sender, its direct messages queued here as {messages, bytes}: one sender's share of the
     * mailbox ({@link QuotaRules}). Room messages are not counted, so a room's fan-out pays nothing.
     * Null while there are none.
     */
    private HashMap<String, long[]> direct;

    public int size() {
        return size;
    }

    /** The bytes the queued messages count against the mailbox quota. */
    public long bytes() {
        return bytes;
    }

    /** Direct messages from {@code sender} queued here. */
    public int directMessagesFrom(String sender) {
        long[] c = direct == null ? null : direct.get(sender);
        return c == null ? 0 : (int) c[0];
    }

    /** Bytes ({@link Message#charge()}) of the direct messages from {@code sender} queued here. */
    public long directBytesFrom(String sender) {
        long[] c = direct == null ? null : direct.get(sender);
        return c == null ? 0 : c[1];
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The i-th oldest message, 0-based. */
    public Message get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        return ring[(head + i) & (ring.length - 1)];
    }

    /** Index of the first message with seq greater than {@code seq}; {@link #size()} if none. */
    public int indexAfter(long seq) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (get(mid).seq() <= seq) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    void addLast(Message m) {
        if (size > 0 && get(size - 1).seq() >= m.seq()) {
            throw new CorruptStateException("mailbox order broken at seq " + m.seq());
        }
        if (size == ring.length) {
            Message[] bigger = new Message[ring.length * 2];
            for (int i = 0; i < size; i++) {
                bigger[i] = get(i);
            }
            ring = bigger;
            head = 0;
        }
        ring[(head + size) & (ring.length - 1)] = m;
        size++;
        bytes += m.charge();
        if (m.kind() == Kind.DIRECT) {
            if (direct == null) {
                direct = new HashMap<>();
            }
            long[] c = direct.computeIfAbsent(m.sender(), s -> new long[2]);
            c[0]++;
            c[1] += m.charge();
        }
    }

    Message peekFirst() {
        return size == 0 ? null : ring[head];
    }

    Message pollFirst() {
        if (size == 0) {
            return null;
        }
        Message m = ring[head];
        ring[head] = null;
        head = (head + 1) & (ring.length - 1);
        size--;
        bytes -= m.charge();
        if (m.kind() == Kind.DIRECT) {
            long[] c = direct.get(m.sender());
            if (--c[0] == 0) {
                direct.remove(m.sender());
            } else {
                c[1] -= m.charge();
            }
        }
        if (size == 0) {
            head = 0;
            if (ring.length > KEEP_EMPTY) {
                ring = new Message[8];
            }
        }
        return m;
    }

    /** Removes {@code m} (the same object) from wherever it sits; whether it was here. Linear: for rare retractions. */
    boolean remove(Message m) {
        int at = -1;
        for (int i = 0; i < size; i++) {
            if (get(i) == m) {
                at = i;
                break;
            }
        }
        if (at < 0) {
            return false;
        }
        for (int i = at; i < size - 1; i++) {
            ring[(head + i) & (ring.length - 1)] = ring[(head + i + 1) & (ring.length - 1)];
        }
        ring[(head + size - 1) & (ring.length - 1)] = null;
        size--;
        bytes -= m.charge();
        if (m.kind() == Kind.DIRECT) {
            long[] c = direct.get(m.sender());
            if (--c[0] == 0) {
                direct.remove(m.sender());
            } else {
                c[1] -= m.charge();
            }
        }
        if (size == 0) {
            head = 0;
        }
        return true;
    }

    void clear() {
        Arrays.fill(ring, null);
        head = 0;
        size = 0;
        bytes = 0;
        direct = null;
    }
}
