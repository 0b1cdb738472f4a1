package crumbhub.server.domain;

/**
 * The most recent message ids a user sent, with where each was stored, for de-duplication
 * (protocol §4): at most {@code limit} entries, the oldest forgotten first. Entries live in
 * parallel arrays (a ring in send order) with an open-addressing index over them, so once the
 * arrays have grown to a user's sending rate, remembering a message allocates nothing: a map of
 * objects cost three objects per message, each living for thousands of messages, which made them
 * survive young collections and be copied by every one. Owned by the core thread.
 *
 * <p>Ids are chosen by the sender; one that picks colliding ids slows only its own look-ups,
 * at most {@code limit} probes each.
 */
final class SentLog {
    private static final int INITIAL = 16;

    private final int limit;
    private long[] hi;
    private long[] lo;
    private long[] seq;
    private long[] tsMs;
    /** Physical ring slot of the oldest entry. */
    private int head;
    private int size;
    /** Open-addressing table of ring slot + 1 (0: empty), twice the ring's length, linear probing. */
    private int[] index;

    /** @param limit how many ids are remembered, a power of two */
    SentLog(int limit) {
        if (Integer.bitCount(limit) != 1) {
            throw new IllegalArgumentException("limit must be a power of two: " + limit);
        }
        this.limit = limit;
        allocate(Math.min(INITIAL, limit));
    }

    int size() {
        return size;
    }

    /** The ring slot of the entry for this 16-byte id, or -1. */
    int find(byte[] id) {
        return find(MessageId.high(id), MessageId.low(id));
    }

    /** The ring slot of the entry for this id, or -1. */
    int find(long idHi, long idLo) {
        int mask = index.length - 1;
        for (int i = home(idHi, idLo, mask); ; i = (i + 1) & mask) {
            int e = index[i];
            if (e == 0) {
                return -1;
            }
            if (hi[e - 1] == idHi && lo[e - 1] == idLo) {
                return e - 1;
            }
        }
    }

    /** Seq of the entry in ring slot {@code slot} (from {@link #find}). */
    long seqAt(int slot) {
        return seq[slot];
    }

    /** Timestamp of the entry in ring slot {@code slot} (from {@link #find}). */
    long tsAt(int slot) {
        return tsMs[slot];
    }

    /** The i-th oldest entry's id, high half. */
    long hi(int i) {
        return hi[slotOf(i)];
    }

    /** The i-th oldest entry's id, low half. */
    long lo(int i) {
        return lo[slotOf(i)];
    }

    /** The i-th oldest entry's seq. */
    long seq(int i) {
        return seq[slotOf(i)];
    }

    /** The i-th oldest entry's timestamp. */
    long tsMs(int i) {
        return tsMs[slotOf(i)];
    }

    /**
     * Remembers an id as the newest entry, forgetting the oldest if the log is full. An id
     * already remembered keeps its place and takes the new seq and timestamp.
     */
    void add(long idHi, long idLo, long messageSeq, long messageTsMs) {
        int known = find(idHi, idLo);
        if (known >= 0) {
            seq[known] = messageSeq;
            tsMs[known] = messageTsMs;
            return;
        }
        if (size == hi.length) {
            if (hi.length < limit) {
                grow();
            } else {
                forgetOldest();
            }
        }
        int slot = slotOf(size);
        hi[slot] = idHi;
        lo[slot] = idLo;
        seq[slot] = messageSeq;
        tsMs[slot] = messageTsMs;
        size++;
        insert(slot);
    }

    /** Makes this log a copy of {@code other}. */
    void copyFrom(SentLog other) {
        allocate(other.hi.length);
        for (int i = 0; i < other.size; i++) {
            add(other.hi(i), other.lo(i), other.seq(i), other.tsMs(i));
        }
    }

    private int slotOf(int i) {
        return (head + i) & (hi.length - 1);
    }

    private void allocate(int capacity) {
        hi = new long[capacity];
        lo = new long[capacity];
        seq = new long[capacity];
        tsMs = new long[capacity];
        index = new int[capacity * 2];
        head = 0;
        size = 0;
    }

    private void grow() {
        long[] oldHi = hi;
        long[] oldLo = lo;
        long[] oldSeq = seq;
        long[] oldTs = tsMs;
        int oldHead = head;
        int n = size;
        int oldMask = oldHi.length - 1;
        allocate(oldHi.length * 2);
        for (int i = 0; i < n; i++) {
            int from = (oldHead + i) & oldMask;
            hi[i] = oldHi[from];
            lo[i] = oldLo[from];
            seq[i] = oldSeq[from];
            tsMs[i] = oldTs[from];
            insert(i);
        }
        size = n;
    }

    private void forgetOldest() {
        int slot = head;
        int mask = index.length - 1;
        int i = home(hi[slot], lo[slot], mask);
        while (index[i] != slot + 1) {
            i = (i + 1) & mask;
        }
        unindex(i);
        head = (head + 1) & (hi.length - 1);
        size--;
    }

    private void insert(int slot) {
        int mask = index.length - 1;
        int i = home(hi[slot], lo[slot], mask);
        while (index[i] != 0) {
            i = (i + 1) & mask;
        }
        index[i] = slot + 1;
    }

    /** Empties index position {@code i}, moving later entries of its probe run back (no tombstones). */
    private void unindex(int i) {
        int mask = index.length - 1;
        int gap = i;
        int j = i;
        while (true) {
            index[gap] = 0;
            while (true) {
                j = (j + 1) & mask;
                int e = index[j];
                if (e == 0) {
                    return;
                }
                int h = home(hi[e - 1], lo[e - 1], mask);
                boolean staysPut = gap <= j ? gap < h && h <= j : gap < h || h <= j;
                if (!staysPut) {
                    index[gap] = e;
                    gap = j;
                    break;
                }
            }
        }
    }

    private static int home(long idHi, long idLo, int mask) {
        long h = idHi * 0x9E3779B97F4A7C15L ^ Long.rotateLeft(idLo, 29);
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int) h & mask;
    }
}
