package crumbhub.client.chat;

import crumbhub.crypto.Aead;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * One segment of the search index: up to {@link #MAX_ENTRIES} entries (each locates one history
 * record: conversation number, record index, byte offset, time) and, for every token seen in them,
 * the sorted list of entries that contain it. On disk it is a directory and blocks, each sealed on
 * its own ({@link SearchIndex}), so that a search decrypts the directory, the token blocks holding
 * its query's tokens and the entry blocks holding its candidates, not the whole segment: a fresh
 * process decrypts AES-GCM at about 11 MB/s before the JIT compiles its intrinsics, which made a
 * search that opened whole segments take seconds (docs/benchmarks.md, "Search").
 *
 * <pre>
 *   block 0, directory = u8 version (2), varint entries, varint E, varint T,
 *                        E × (varint count, zigzag varint minTime, varint (maxTime - minTime), varint sealed length),
 *                        T × (u32 first token, varint sealed length)
 *   blocks 1..E        = entry blocks of {@link #ENTRY_BLOCK} entries (the last may have fewer), in entry order:
 *                        entry* = varint conv, varint (index - previous index of conv in the block),
 *                                 varint (offset - previous offset of conv in the block),
 *                                 zigzag varint (timeSeconds - previous entry's timeSeconds in the block)
 *   blocks E+1..E+T    = token blocks, tokens in unsigned order, about {@link #TOKEN_BLOCK_BYTES} each:
 *                        varint n, n × (varint (token - previous token in the block), u8 form, varint m, m bytes)
 *   form 0 = per posting: varint (entry - previous entry - 1), u8 mask
 *   form 1 = a bitmap of the segment's entries, then a u8 mask per entry set, in entry order
 *   mask   = bit (p mod 8) set for every position p (code point offset in the folded text) where the trigram starts
 * </pre>
 *
 * The sealed blocks follow the sealed directory in the file in block order, so the directory's
 * lengths give every block's place. Deltas keep an entry near four bytes and a posting near two.
 *
 * <p>The masks make a candidate hold the query's trigrams at the query's distances from each
 * other (modulo 8), not just somewhere: {@code daku} is not a candidate for every message with a
 * {@code dak} and an {@code aku}. Each false candidate costs a fresh process two decryptions (its
 * entry block and its record), about a millisecond each before the JIT has warmed up.
 *
 * <p>Decoded blocks are kept once read; not thread-safe: used under the history lock.
 */
final class IndexSegment {
    /** Entries per segment: bounds a segment's size and the entry numbers (17 bits with room to spare). */
    static final int MAX_ENTRIES = 1 << 16;
    /** Entries per entry block: about 1 KiB, so confirming a candidate decrypts about a KiB of locators. */
    static final int ENTRY_BLOCK = 1 << 8;
    /** Plaintext bytes per token block before the next token starts a new one (a bitmap is 8 KiB). */
    static final int TOKEN_BLOCK_BYTES = 16 << 10;
    static final int VERSION = 2;
    /** Bound of a conversation number in a segment (one per history file of the account). */
    static final int MAX_CONVERSATIONS = 1 << 20;
    /** What sealing adds to a block: nonce and tag. */
    static final int SEAL_OVERHEAD = Aead.NONCE_LENGTH + Aead.TAG_LENGTH;
    static final int FORM_DELTAS = 0;
    static final int FORM_BITMAP = 1;

    /** Opens block {@code number}, {@code length} sealed bytes at {@code offset} of the file; throws if it fails its check. */
    @FunctionalInterface
    interface BlockReader {
        byte[] read(int number, long offset, int length);
    }

    /** An entry block as the directory lists it. */
    record EntryBlock(int first, int count, long minTime, long maxTime, long offset, int length) {
    }

    private record TokenBlock(int firstToken, long offset, int length) {
    }

    /** The decoded entries of one entry block: entry {@code first + i} is at {@code i}. */
    static final class Entries {
        final int first;
        final int[] conv;
        final long[] index;
        final long[] offset;
        final long[] timeSeconds;

        private Entries(int first, int count) {
            this.first = first;
            this.conv = new int[count];
            this.index = new long[count];
            this.offset = new long[count];
            this.timeSeconds = new long[count];
        }
    }

    /** One token's postings: the entries (ascending) and, for each, its position mask. */
    record Postings(int[] entries, byte[] masks) {
        static final Postings NONE = new Postings(new int[0], new byte[0]);
    }

    /** The decoded tokens of one token block and where their postings are in {@link #bytes}. */
    private record Tokens(int[] tokens, int[] start, int[] length, byte[] form, byte[] bytes) {
    }

    private final int entries;
    private final EntryBlock[] entryBlocks;
    private final TokenBlock[] tokenBlocks;
    private final BlockReader reader;
    private final Entries[] entryCache;
    private final Tokens[] tokenCache;

    private IndexSegment(int entries, EntryBlock[] entryBlocks, TokenBlock[] tokenBlocks, BlockReader reader) {
        this.entries = entries;
        this.entryBlocks = entryBlocks;
        this.tokenBlocks = tokenBlocks;
        this.reader = reader;
        this.entryCache = new Entries[entryBlocks.length];
        this.tokenCache = new Tokens[tokenBlocks.length];
    }

    /**
     * A segment from its directory's plaintext; its sealed blocks start at {@code blocksOffset} and
     * are read through {@code reader} when needed.
     *
     * @throws IllegalArgumentException if the directory is malformed
     */
    static IndexSegment open(byte[] directory, long blocksOffset, BlockReader reader) {
        try {
            int[] pos = {0};
            if (directory.length == 0 || directory[pos[0]++] != VERSION) {
                throw new IllegalArgumentException("segment version");
            }
            int entries = checkedCount(readVarint(directory, pos), MAX_ENTRIES);
            int e = checkedCount(readVarint(directory, pos), MAX_ENTRIES / ENTRY_BLOCK + 1);
            int t = checkedCount(readVarint(directory, pos), directory.length);
            var entryBlocks = new EntryBlock[e];
            long at = blocksOffset;
            int first = 0;
            for (int k = 0; k < e; k++) {
                int count = checkedCount(readVarint(directory, pos), ENTRY_BLOCK);
                long min = unzigzag(readVarint(directory, pos));
                long max = min + readVarint(directory, pos);
                int length = checkedCount(readVarint(directory, pos), Integer.MAX_VALUE);
                entryBlocks[k] = new EntryBlock(first, count, min, max, at, length);
                first += count;
                at += length;
            }
            if (first != entries) {
                throw new IllegalArgumentException("entry blocks hold " + first + " entries, not " + entries);
            }
            var tokenBlocks = new TokenBlock[t];
            for (int k = 0; k < t; k++) {
                int token = ((directory[pos[0]] & 0xff) << 24) | ((directory[pos[0] + 1] & 0xff) << 16)
                        | ((directory[pos[0] + 2] & 0xff) << 8) | (directory[pos[0] + 3] & 0xff);
                pos[0] += 4;
                int length = checkedCount(readVarint(directory, pos), Integer.MAX_VALUE);
                tokenBlocks[k] = new TokenBlock(token, at, length);
                at += length;
            }
            if (pos[0] != directory.length) {
                throw new IllegalArgumentException("trailing bytes in a segment directory");
            }
            return new IndexSegment(entries, entryBlocks, tokenBlocks, reader);
        } catch (ArrayIndexOutOfBoundsException ex) {
            throw new IllegalArgumentException("truncated segment directory", ex);
        }
    }

    int size() {
        return entries;
    }

    long minTime() {
        return Arrays.stream(entryBlocks).mapToLong(EntryBlock::minTime).min().orElse(0);
    }

    long maxTime() {
        return Arrays.stream(entryBlocks).mapToLong(EntryBlock::maxTime).max().orElse(0);
    }

    int entryBlockCount() {
        return entryBlocks.length;
    }

    EntryBlock entryBlock(int block) {
        return entryBlocks[block];
    }

    /** The entries of entry block {@code block}, read and decrypted on first use. */
    Entries entries(int block) {
        Entries cached = entryCache[block];
        if (cached != null) {
            return cached;
        }
        EntryBlock b = entryBlocks[block];
        byte[] plain = reader.read(1 + block, b.offset(), b.length());
        var out = new Entries(b.first(), b.count());
        try {
            int[] pos = {0};
            long[] previous = new long[2 * 64];
            long previousTime = 0;
            for (int i = 0; i < b.count(); i++) {
                int c = checkedCount(readVarint(plain, pos), MAX_CONVERSATIONS);
                if (2 * c + 1 >= previous.length) {
                    previous = Arrays.copyOf(previous, Math.max(previous.length * 2, 2 * c + 2));
                }
                out.conv[i] = c;
                out.index[i] = previous[2 * c] += readVarint(plain, pos);
                out.offset[i] = previous[2 * c + 1] += readVarint(plain, pos);
                out.timeSeconds[i] = previousTime += unzigzag(readVarint(plain, pos));
            }
            if (pos[0] != plain.length) {
                throw new IllegalArgumentException("trailing bytes in an entry block");
            }
        } catch (ArrayIndexOutOfBoundsException ex) {
            throw new IllegalArgumentException("truncated entry block", ex);
        }
        entryCache[block] = out;
        return out;
    }

    /**
     * The entries that contain every trigram of {@code query} at the query's distances from each
     * other, modulo 8 (all entries when it has none), in ascending order. Reads only the token
     * blocks that could hold its tokens.
     */
    int[] candidates(SearchTokens.Query query) {
        if (query.isEmpty()) {
            int[] all = new int[entries];
            Arrays.setAll(all, i -> i);
            return all;
        }
        var byToken = new java.util.HashMap<Integer, Postings>();
        int[] result = null;
        int[] acc = null;
        for (int q = 0; q < query.tokens().length; q++) {
            Postings p = byToken.computeIfAbsent(query.tokens()[q], this::postings);
            int shift = query.offsets()[q] & 7;
            if (result == null) {
                result = p.entries();
                acc = new int[result.length];
                for (int k = 0; k < acc.length; k++) {
                    acc[k] = rotateRight(p.masks()[k], shift);
                }
            } else {
                int n = 0;
                int i = 0;
                int j = 0;
                int[] out = new int[Math.min(result.length, p.entries().length)];
                int[] outAcc = new int[out.length];
                while (i < result.length && j < p.entries().length) {
                    if (result[i] < p.entries()[j]) {
                        i++;
                    } else if (result[i] > p.entries()[j]) {
                        j++;
                    } else {
                        int a = acc[i] & rotateRight(p.masks()[j], shift);
                        if (a != 0) {
                            out[n] = result[i];
                            outAcc[n++] = a;
                        }
                        i++;
                        j++;
                    }
                }
                result = Arrays.copyOf(out, n);
                acc = Arrays.copyOf(outAcc, n);
            }
            if (result.length == 0) {
                return result;
            }
        }
        return result;
    }

    /** A mask's bit (p + shift) mod 8 moved to bit p: the positions where the query would start. */
    private static int rotateRight(byte mask, int shift) {
        int m = mask & 0xff;
        return ((m >>> shift) | (m << (8 - shift))) & 0xff;
    }

    /** Calls {@code sink} with every token of the segment and its postings (merging segments reads them all). */
    void forEachToken(java.util.function.BiConsumer<Integer, Postings> sink) {
        for (int b = 0; b < tokenBlocks.length; b++) {
            Tokens block = tokens(b);
            for (int k = 0; k < block.tokens().length; k++) {
                sink.accept(block.tokens()[k], decode(block, k));
            }
        }
    }

    /** The postings of {@code token}: none if the segment does not hold it. */
    private Postings postings(int token) {
        int lo = 0;
        int hi = tokenBlocks.length - 1;
        int block = -1;
        while (lo <= hi) { // the last block whose first token is not after the token
            int mid = (lo + hi) >>> 1;
            if (Integer.compareUnsigned(tokenBlocks[mid].firstToken(), token) <= 0) {
                block = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (block < 0) {
            return Postings.NONE;
        }
        Tokens tokens = tokens(block);
        int at = find(tokens.tokens(), token);
        return at < 0 ? Postings.NONE : decode(tokens, at);
    }

    private Tokens tokens(int block) {
        Tokens cached = tokenCache[block];
        if (cached != null) {
            return cached;
        }
        TokenBlock b = tokenBlocks[block];
        byte[] plain = reader.read(1 + entryBlocks.length + block, b.offset(), b.length());
        try {
            int[] pos = {0};
            int n = checkedCount(readVarint(plain, pos), plain.length);
            int[] tokens = new int[n];
            int[] start = new int[n];
            int[] length = new int[n];
            byte[] form = new byte[n];
            long token = 0;
            for (int k = 0; k < n; k++) {
                token += readVarint(plain, pos);
                tokens[k] = (int) token;
                form[k] = plain[pos[0]++];
                length[k] = checkedCount(readVarint(plain, pos), plain.length - pos[0]);
                start[k] = pos[0];
                pos[0] += length[k];
            }
            if (pos[0] != plain.length || (n > 0 && tokens[0] != b.firstToken())) {
                throw new IllegalArgumentException("a token block does not match its directory");
            }
            cached = new Tokens(tokens, start, length, form, plain);
        } catch (ArrayIndexOutOfBoundsException ex) {
            throw new IllegalArgumentException("truncated token block", ex);
        }
        tokenCache[block] = cached;
        return cached;
    }

    private static int find(int[] tokens, int token) {
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

    private Postings decode(Tokens block, int at) {
        byte[] bytes = block.bytes();
        int start = block.start()[at];
        int end = start + block.length()[at];
        if (block.form()[at] == FORM_BITMAP) {
            int bitmapBytes = (entries + 7) / 8;
            if (end - start < bitmapBytes) {
                throw new IllegalArgumentException("a bitmap shorter than the segment");
            }
            int[] list = new int[end - start - bitmapBytes];
            int n = 0;
            for (int k = 0; k < bitmapBytes; k++) {
                int b = bytes[start + k] & 0xff;
                while (b != 0) {
                    int e = 8 * k + Integer.numberOfTrailingZeros(b);
                    if (e >= entries || n == list.length) {
                        throw new IllegalArgumentException("a bitmap that does not match its masks");
                    }
                    list[n++] = e;
                    b &= b - 1;
                }
            }
            if (n != list.length) {
                throw new IllegalArgumentException("a bitmap that does not match its masks");
            }
            return new Postings(list, Arrays.copyOfRange(bytes, start + bitmapBytes, end));
        }
        // each posting takes at least two bytes (a varint and its mask)
        int[] list = new int[(end - start) / 2];
        byte[] masks = new byte[list.length];
        int n = 0;
        int[] pos = {start};
        long previous = -1;
        while (pos[0] < end) {
            previous += 1 + readVarint(bytes, pos);
            if (previous >= entries || pos[0] >= end) {
                throw new IllegalArgumentException("a posting past the segment's entries");
            }
            list[n] = (int) previous;
            masks[n++] = bytes[pos[0]++];
        }
        return new Postings(Arrays.copyOf(list, n), Arrays.copyOf(masks, n));
    }

    static int checkedCount(long n, int max) {
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

    static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
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

        void set(int i, int v) {
            a[i] = v;
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
