package crumbhub.client.chat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects entries and their tokens, then encodes them as the plaintext blocks of an {@link
 * IndexSegment} (the format is described there). Not thread-safe; used by {@link SearchIndex}
 * under the history lock.
 */
final class IndexSegmentBuilder {
    private final IndexSegment.IntList conv = new IndexSegment.IntList();
    private final IndexSegment.LongList index = new IndexSegment.LongList();
    private final IndexSegment.LongList offset = new IndexSegment.LongList();
    private final IndexSegment.LongList time = new IndexSegment.LongList();
    /** Per token, its postings packed as {@code entry << 8 | mask} (entries stay below 2^16). */
    private final Map<Integer, IndexSegment.IntList> postings = new HashMap<>();

    int size() {
        return conv.size();
    }

    long minTime() {
        long min = Long.MAX_VALUE;
        for (int e = 0; e < time.size(); e++) {
            min = Math.min(min, time.get(e));
        }
        return time.size() == 0 ? 0 : min;
    }

    long maxTime() {
        long max = Long.MIN_VALUE;
        for (int e = 0; e < time.size(); e++) {
            max = Math.max(max, time.get(e));
        }
        return time.size() == 0 ? 0 : max;
    }

    void clear() {
        conv.clear();
        index.clear();
        offset.clear();
        time.clear();
        postings.clear();
    }

    /**
     * Adds one entry; {@code tokens} may repeat (each entry is listed once per token, with the
     * positions of all its occurrences in the mask).
     *
     * @param positions where each token's trigram starts in the folded text (see {@link SearchTokens#tokens})
     */
    void add(int conversation, long recordIndex, long recordOffset, long timeSeconds, int[] tokens, int[] positions) {
        int entry = conv.size();
        conv.add(conversation);
        index.add(recordIndex);
        offset.add(recordOffset);
        time.add(timeSeconds);
        for (int k = 0; k < tokens.length; k++) {
            IndexSegment.IntList list = postings.computeIfAbsent(tokens[k], t -> new IndexSegment.IntList());
            int bit = 1 << (positions[k] & 7);
            if (list.size() > 0 && list.last() >>> 8 == entry) {
                list.set(list.size() - 1, list.last() | bit);
            } else {
                list.add(entry << 8 | bit);
            }
        }
    }

    /** Adds every entry of {@code segment}, with its tokens; reads all its blocks (they may fail their checks). */
    void addAll(IndexSegment segment) {
        int base = conv.size();
        for (int b = 0; b < segment.entryBlockCount(); b++) {
            IndexSegment.Entries entries = segment.entries(b);
            for (int i = 0; i < entries.conv.length; i++) {
                conv.add(entries.conv[i]);
                index.add(entries.index[i]);
                offset.add(entries.offset[i]);
                time.add(entries.timeSeconds[i]);
            }
        }
        segment.forEachToken((token, list) -> {
            IndexSegment.IntList to = postings.computeIfAbsent(token, t -> new IndexSegment.IntList());
            for (int k = 0; k < list.entries().length; k++) {
                to.add((base + list.entries()[k]) << 8 | (list.masks()[k] & 0xff));
            }
        });
    }

    /** The plaintext blocks: the directory (block 0), the entry blocks, the token blocks. */
    List<byte[]> encode() {
        var blocks = new ArrayList<byte[]>();
        blocks.add(null); // the directory, made last: it lists the other blocks' sealed lengths
        var directory = new ByteArrayOutputStream();
        directory.write(IndexSegment.VERSION);
        IndexSegment.writeVarint(directory, conv.size());
        int entryBlocks = (conv.size() + IndexSegment.ENTRY_BLOCK - 1) / IndexSegment.ENTRY_BLOCK;
        IndexSegment.writeVarint(directory, entryBlocks);
        List<byte[]> tokenBlocks = new ArrayList<>();
        List<Integer> firstTokens = new ArrayList<>();
        encodeTokens(tokenBlocks, firstTokens);
        IndexSegment.writeVarint(directory, tokenBlocks.size());
        for (int b = 0; b < entryBlocks; b++) {
            int from = b * IndexSegment.ENTRY_BLOCK;
            int to = Math.min(conv.size(), from + IndexSegment.ENTRY_BLOCK);
            byte[] block = encodeEntries(from, to);
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (int e = from; e < to; e++) {
                min = Math.min(min, time.get(e));
                max = Math.max(max, time.get(e));
            }
            IndexSegment.writeVarint(directory, to - from);
            IndexSegment.writeVarint(directory, IndexSegment.zigzag(min));
            IndexSegment.writeVarint(directory, max - min);
            IndexSegment.writeVarint(directory, block.length + IndexSegment.SEAL_OVERHEAD);
            blocks.add(block);
        }
        for (int b = 0; b < tokenBlocks.size(); b++) {
            int first = firstTokens.get(b);
            directory.write(first >>> 24);
            directory.write(first >>> 16);
            directory.write(first >>> 8);
            directory.write(first);
            IndexSegment.writeVarint(directory, tokenBlocks.get(b).length + IndexSegment.SEAL_OVERHEAD);
            blocks.add(tokenBlocks.get(b));
        }
        blocks.set(0, directory.toByteArray());
        return blocks;
    }

    private byte[] encodeEntries(int from, int to) {
        var out = new ByteArrayOutputStream((to - from) * 6);
        long[] previous = new long[2 * 64];
        long previousTime = 0;
        for (int e = from; e < to; e++) {
            int c = conv.get(e);
            if (2 * c + 1 >= previous.length) {
                previous = Arrays.copyOf(previous, Math.max(previous.length * 2, 2 * c + 2));
            }
            IndexSegment.writeVarint(out, c);
            IndexSegment.writeVarint(out, index.get(e) - previous[2 * c]);
            IndexSegment.writeVarint(out, offset.get(e) - previous[2 * c + 1]);
            IndexSegment.writeVarint(out, IndexSegment.zigzag(time.get(e) - previousTime));
            previous[2 * c] = index.get(e);
            previous[2 * c + 1] = offset.get(e);
            previousTime = time.get(e);
        }
        return out.toByteArray();
    }

    /** Token blocks of about {@link IndexSegment#TOKEN_BLOCK_BYTES}, tokens in unsigned order. */
    private void encodeTokens(List<byte[]> blocks, List<Integer> firstTokens) {
        int[] sorted = postings.keySet().stream().mapToInt(Integer::intValue).toArray();
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] ^= Integer.MIN_VALUE;
        }
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] ^= Integer.MIN_VALUE;
        }
        var body = new ByteArrayOutputStream();
        int count = 0;
        long previousToken = 0;
        var one = new ByteArrayOutputStream();
        for (int t : sorted) {
            one.reset();
            int form = postingsOf(postings.get(t), one);
            if (count > 0 && body.size() + one.size() > IndexSegment.TOKEN_BLOCK_BYTES) {
                blocks.add(block(count, body));
                body.reset();
                count = 0;
            }
            if (count == 0) {
                firstTokens.add(t);
                previousToken = 0;
            }
            long unsigned = Integer.toUnsignedLong(t);
            IndexSegment.writeVarint(body, unsigned - previousToken);
            previousToken = unsigned;
            body.write(form);
            IndexSegment.writeVarint(body, one.size());
            body.writeBytes(one.toByteArray());
            count++;
        }
        if (count > 0) {
            blocks.add(block(count, body));
        }
    }

    private static byte[] block(int count, ByteArrayOutputStream body) {
        var out = new ByteArrayOutputStream(body.size() + 5);
        IndexSegment.writeVarint(out, count);
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /** Writes one token's postings in the smaller form; returns the form. */
    private int postingsOf(IndexSegment.IntList list, ByteArrayOutputStream out) {
        int prev = -1;
        for (int k = 0; k < list.size(); k++) {
            int entry = list.get(k) >>> 8;
            IndexSegment.writeVarint(out, entry - prev - 1);
            out.write(list.get(k) & 0xff);
            prev = entry;
        }
        int bitmapBytes = (conv.size() + 7) / 8;
        if (out.size() <= bitmapBytes + list.size()) {
            return IndexSegment.FORM_DELTAS;
        }
        out.reset();
        var bits = new java.util.BitSet(conv.size());
        for (int k = 0; k < list.size(); k++) {
            bits.set(list.get(k) >>> 8);
        }
        out.writeBytes(Arrays.copyOf(bits.toByteArray(), bitmapBytes));
        for (int k = 0; k < list.size(); k++) {
            out.write(list.get(k) & 0xff);
        }
        return IndexSegment.FORM_BITMAP;
    }
}
