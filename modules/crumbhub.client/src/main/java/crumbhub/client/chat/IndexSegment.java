package crumbhub.client.chat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One segment of the search index, in memory: up to {@link #MAX_ENTRIES} entries (each locates
 * one history record: conversation number, record index, byte offset, time) and, for every token
 * seen in them, the sorted list of entries that contain it. The plaintext codec is here; sealing
 * is {@link SearchIndex}'s.
 *
 * <pre>
 *   u8 version (1)  varint entries  varint tokens
 *   entry*  = varint conv, varint (index - previous index of conv), varint (offset - previous offset of conv),
 *             zigzag varint (timeSeconds - previous entry's timeSeconds)
 *   token*  = varint (token - previous token, unsigned order), u8 form, varint n, n bytes
 *   form 0  = postings as varints of (entry - previous entry - 1);  form 1 = a bitmap of the entries
 * </pre>
 *
 * Deltas keep the entries near four bytes and a posting near one (docs/benchmarks.md, "Search").
 * Immutable once built; safe to share between threads.
 */
final class IndexSegment {
    /** Entries per segment: bounds a segment's plaintext to a few MiB and what one search must open. */
    static final int MAX_ENTRIES = 1 << 16;
    static final int VERSION = 1;
    /** Bound of a conversation number in a segment (one per history file of the account). */
    static final int MAX_CONVERSATIONS = 1 << 20;
    private static final int FORM_DELTAS = 0;
    private static final int FORM_BITMAP = 1;

    final int[] conv;
    final long[] index;
    final long[] offset;
    final long[] timeSeconds;
    /** Sorted (unsigned order) tokens and, for each, its postings' form and bytes in {@link #postings}. */
    private final int[] tokens;
    private final int[] postingStart;
    private final int[] postingLength;
    private final byte[] postingForm;
    private final byte[] postings;

    private IndexSegment(int[] conv, long[] index, long[] offset, long[] timeSeconds, int[] tokens,
                         int[] postingStart, int[] postingLength, byte[] postingForm, byte[] postings) {
        this.conv = conv;
        this.index = index;
        this.offset = offset;
        this.timeSeconds = timeSeconds;
        this.tokens = tokens;
        this.postingStart = postingStart;
        this.postingLength = postingLength;
        this.postingForm = postingForm;
        this.postings = postings;
    }

    int size() {
        return conv.length;
    }

    long minTime() {
        return Arrays.stream(timeSeconds).min().orElse(0);
    }

    long maxTime() {
        return Arrays.stream(timeSeconds).max().orElse(0);
    }

    /**
     * The entries that contain every one of {@code queryTokens} (all entries when there are none),
     * in ascending order.
     */
    int[] candidates(int[] queryTokens) {
        if (queryTokens.length == 0) {
            int[] all = new int[size()];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int[] result = null;
        for (int t : queryTokens) {
            int at = find(t);
            if (at < 0) {
                return new int[0];
            }
            int[] list = decode(at);
            result = result == null ? list : intersect(result, list);
            if (result.length == 0) {
                return result;
            }
        }
        return result;
    }

    private int find(int token) {
        int lo = 0;
        int hi = tokens.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Integer.compareUnsigned(tokens[mid], token);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    private int[] decode(int at) {
        int start = postingStart[at];
        int end = start + postingLength[at];
        if (postingForm[at] == FORM_BITMAP) {
            var bits = java.util.BitSet.valueOf(ByteBufferSlice.of(postings, start, end));
            return bits.stream().toArray();
        }
        var out = new IntList();
        int[] pos = {start};
        int previous = -1;
        while (pos[0] < end) {
            previous += 1 + (int) readVarint(postings, pos);
            out.add(previous);
        }
        return out.toArray();
    }

    private static int[] intersect(int[] a, int[] b) {
        int[] out = new int[Math.min(a.length, b.length)];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.length && j < b.length) {
            if (a[i] < b[j]) {
                i++;
            } else if (a[i] > b[j]) {
                j++;
            } else {
                out[n++] = a[i];
                i++;
                j++;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Collects entries and their tokens, then encodes a segment. Not thread-safe. */
    static final class Builder {
        private final IntList conv = new IntList();
        private final LongList index = new LongList();
        private final LongList offset = new LongList();
        private final LongList time = new LongList();
        private final Map<Integer, IntList> postings = new HashMap<>();

        int size() {
            return conv.size();
        }

        void clear() {
            conv.clear();
            index.clear();
            offset.clear();
            time.clear();
            postings.clear();
        }

        /** Adds one entry; {@code tokens} may repeat (each entry is listed once per token). */
        void add(int conversation, long recordIndex, long recordOffset, long timeSeconds, int[] tokens) {
            int entry = conv.size();
            conv.add(conversation);
            index.add(recordIndex);
            offset.add(recordOffset);
            time.add(timeSeconds);
            for (int t : tokens) {
                IntList list = postings.computeIfAbsent(t, k -> new IntList());
                if (list.size() == 0 || list.last() != entry) {
                    list.add(entry);
                }
            }
        }

        /** Adds every entry of {@code segment}, with its tokens. */
        void addAll(IndexSegment segment) {
            int base = conv.size();
            for (int e = 0; e < segment.size(); e++) {
                conv.add(segment.conv[e]);
                index.add(segment.index[e]);
                offset.add(segment.offset[e]);
                time.add(segment.timeSeconds[e]);
            }
            for (int k = 0; k < segment.tokens.length; k++) {
                IntList list = postings.computeIfAbsent(segment.tokens[k], t -> new IntList());
                for (int e : segment.decode(k)) {
                    list.add(base + e);
                }
            }
        }

        byte[] encode() {
            var out = new ByteArrayOutputStream(conv.size() * 32 + 64);
            out.write(VERSION);
            writeVarint(out, conv.size());
            writeVarint(out, postings.size());
            var previous = new PerConversation();
            long previousTime = 0;
            for (int e = 0; e < conv.size(); e++) {
                int c = conv.get(e);
                writeVarint(out, c);
                writeVarint(out, index.get(e) - previous.index(c));
                writeVarint(out, offset.get(e) - previous.offset(c));
                writeVarint(out, zigzag(time.get(e) - previousTime));
                previous.set(c, index.get(e), offset.get(e));
                previousTime = time.get(e);
            }
            int[] sorted = postings.keySet().stream().mapToInt(Integer::intValue).toArray();
            sortUnsigned(sorted);
            long previousToken = 0;
            var one = new ByteArrayOutputStream();
            for (int t : sorted) {
                long unsigned = Integer.toUnsignedLong(t);
                writeVarint(out, unsigned - previousToken);
                previousToken = unsigned;
                IntList list = postings.get(t);
                one.reset();
                int prev = -1;
                for (int k = 0; k < list.size(); k++) {
                    writeVarint(one, list.get(k) - prev - 1);
                    prev = list.get(k);
                }
                int bitmapBytes = (conv.size() + 7) / 8;
                if (one.size() > bitmapBytes) {
                    var bits = new java.util.BitSet(conv.size());
                    for (int k = 0; k < list.size(); k++) {
                        bits.set(list.get(k));
                    }
                    byte[] b = Arrays.copyOf(bits.toByteArray(), bitmapBytes);
                    out.write(FORM_BITMAP);
                    writeVarint(out, b.length);
                    out.writeBytes(b);
                } else {
                    out.write(FORM_DELTAS);
                    writeVarint(out, one.size());
                    out.writeBytes(one.toByteArray());
                }
            }
            return out.toByteArray();
        }
    }

    /**
     * Reads a segment's plaintext.
     *
     * @throws IllegalArgumentException if it is malformed
     */
    static IndexSegment decode(byte[] plain) {
        try {
            int[] pos = {0};
            if (plain.length == 0 || plain[pos[0]++] != VERSION) {
                throw new IllegalArgumentException("segment version");
            }
            int entries = checkedCount(readVarint(plain, pos), MAX_ENTRIES);
            int tokenCount = checkedCount(readVarint(plain, pos), plain.length);
            int[] conv = new int[entries];
            long[] index = new long[entries];
            long[] offset = new long[entries];
            long[] time = new long[entries];
            var previous = new PerConversation();
            long previousTime = 0;
            for (int e = 0; e < entries; e++) {
                int c = checkedCount(readVarint(plain, pos), MAX_CONVERSATIONS);
                conv[e] = c;
                index[e] = previous.index(c) + readVarint(plain, pos);
                offset[e] = previous.offset(c) + readVarint(plain, pos);
                previous.set(c, index[e], offset[e]);
                time[e] = previousTime += unzigzag(readVarint(plain, pos));
            }
            int[] tokens = new int[tokenCount];
            int[] start = new int[tokenCount];
            int[] length = new int[tokenCount];
            byte[] form = new byte[tokenCount];
            long token = 0;
            for (int k = 0; k < tokenCount; k++) {
                token += readVarint(plain, pos);
                tokens[k] = (int) token;
                form[k] = plain[pos[0]++];
                length[k] = checkedCount(readVarint(plain, pos), plain.length - pos[0]);
                start[k] = pos[0];
                pos[0] += length[k];
            }
            if (pos[0] != plain.length) {
                throw new IllegalArgumentException("trailing bytes in a segment");
            }
            return new IndexSegment(conv, index, offset, time, tokens, start, length, form, plain);
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("truncated segment", e);
        }
    }

    private static int checkedCount(long n, int max) {
        if (n < 0 || n > max) {
            throw new IllegalArgumentException("count " + n + " over " + max);
        }
        return (int) n;
    }

    static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    static long readVarint(byte[] b, int[] pos) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int x = b[pos[0]++];
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
        throw new IllegalArgumentException("varint too long");
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static void sortUnsigned(int[] a) {
        for (int i = 0; i < a.length; i++) {
            a[i] ^= Integer.MIN_VALUE;
        }
        Arrays.sort(a);
        for (int i = 0; i < a.length; i++) {
            a[i] ^= Integer.MIN_VALUE;
        }
    }

    /** The previous record index and offset of each conversation, while coding entries (an array: no boxing). */
    private static final class PerConversation {
        private long[] last = new long[2 * 64];

        long index(int conv) {
            return 2 * conv < last.length ? last[2 * conv] : 0;
        }

        long offset(int conv) {
            return 2 * conv + 1 < last.length ? last[2 * conv + 1] : 0;
        }

        void set(int conv, long index, long offset) {
            if (2 * conv + 1 >= last.length) {
                last = Arrays.copyOf(last, Math.max(last.length * 2, 2 * conv + 2));
            }
            last[2 * conv] = index;
            last[2 * conv + 1] = offset;
        }
    }

    /** A view of a byte range as a little-endian long array for {@link java.util.BitSet#valueOf}. */
    private static final class ByteBufferSlice {
        static java.nio.ByteBuffer of(byte[] b, int from, int to) {
            return java.nio.ByteBuffer.wrap(b, from, to - from).slice();
        }
    }

    /** A growable int array (postings and conversation numbers: millions of them, so no boxing). */
    static final class IntList {
        private int[] a = new int[8];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        int get(int i) {
            return a[i];
        }

        void clear() {
            n = 0;
        }

        int last() {
            return a[n - 1];
        }

        int size() {
            return n;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    static final class LongList {
        private long[] a = new long[8];
        private int n;

        void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        long get(int i) {
            return a[i];
        }

        int size() {
            return n;
        }

        void clear() {
            n = 0;
        }
    }
}
