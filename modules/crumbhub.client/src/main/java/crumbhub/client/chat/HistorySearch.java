package crumbhub.client.chat;

import crumbhub.client.ClientException;
import crumbhub.client.model.ConversationId;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * One search over the index: the newest {@code limit} messages whose text contains the query
 * (case-insensitive), in time order.
 *
 * <p>Segments are visited newest first (by their latest time); in each, the candidates (entries
 * holding every token of the query) are confirmed newest first by decrypting their records. Once
 * {@code limit} messages are found, a candidate or a segment older than the oldest of them ends
 * the search: a common word costs about {@code limit} decryptions, a rare one the postings of every
 * segment. A record that was replaced later (pending, then sent; sent again after a restart)
 * counts once, as its newest version; records that are not messages (notices, errors) and
 * messages still pending are not results.
 *
 * <p>Runs under the history lock, on the caller's thread; blocking reads.
 */
final class HistorySearch implements AutoCloseable {
    /** A message found: its conversation, its record, and where it is in its file. */
    record Hit(ConversationId conversation, HistoryRecord record, long index) {
    }

    private final SearchIndex index;
    private final Path historyDir;
    private final HistoryStore.IndexedOpener opener;
    private final Map<Integer, Reader> readers = new HashMap<>();

    private record Reader(HistoryFile file, FileChannel channel, ConversationId conversation) {
    }

    HistorySearch(SearchIndex index, Path historyDir, HistoryStore.IndexedOpener opener) {
        this.index = index;
        this.historyDir = historyDir;
        this.opener = opener;
    }

    List<Hit> run(String query, SearchTokens.Query tokens, Optional<Integer> onlyConv, int limit) {
        String folded = SearchTokens.fold(query);
        var best = new HashMap<String, Hit>();
        var superseded = new HashMap<String, Long>();
        var newest = new PriorityQueue<Long>();
        var segments = new ArrayList<>(index.segments());
        segments.sort(Comparator.comparingLong(SearchIndex.Segment::maxTime).reversed());
        var state = new State(folded, onlyConv, limit, best, superseded, newest);
        for (SearchIndex.Segment s : segments) {
            if (newest.size() >= limit && s.maxTime() < newest.peek()) {
                break;
            }
            Optional<IndexSegment> loaded = index.segment(s);
            if (loaded.isEmpty()) {
                continue; // damaged: the store rebuilds the index and searches again
            }
            try {
                search(loaded.get(), tokens, state);
            } catch (IllegalArgumentException e) {
                index.damaged(s, e); // an index block failed its check: the store rebuilds the index and searches again
            }
        }
        var hits = new ArrayList<Hit>();
        best.forEach((key, hit) -> {
            Long replaced = superseded.get(key);
            if (replaced == null || replaced < hit.index()) {
                hits.add(hit);
            }
        });
        hits.sort(Comparator.comparing((Hit h) -> h.record().time()).thenComparing(h -> h.conversation().label())
                .thenComparingLong(Hit::index));
        return hits.size() <= limit ? hits : new ArrayList<>(hits.subList(hits.size() - limit, hits.size()));
    }

    /** What one search has found so far. */
    private record State(String folded, Optional<Integer> onlyConv, int limit, Map<String, Hit> best,
                         Map<String, Long> superseded, PriorityQueue<Long> newest) {
    }

    /**
     * Confirms the candidates of one segment, newest entry block first (by the latest time in it),
     * and in each block newest first; a block older than the oldest of {@code limit} messages found
     * is not read.
     */
    private void search(IndexSegment seg, SearchTokens.Query tokens, State st) {
        int[] candidates = seg.candidates(tokens);
        var blocks = new ArrayList<Integer>();
        for (int c : candidates) {
            int b = c / IndexSegment.ENTRY_BLOCK;
            if (blocks.isEmpty() || blocks.getLast() != b) {
                blocks.add(b);
            }
        }
        blocks.sort(Comparator.comparingLong((Integer b) -> seg.entryBlock(b).maxTime()).reversed());
        for (int b : blocks) {
            if (st.newest().size() >= st.limit() && seg.entryBlock(b).maxTime() < st.newest().peek()) {
                break;
            }
            IndexSegment.Entries entries = seg.entries(b);
            int from = java.util.Arrays.binarySearch(candidates, entries.first);
            from = from >= 0 ? from : -from - 1;
            // newest first: (time, entry) packed in a long, so that the sort needs no boxing
            long[] sorted = new long[IndexSegment.ENTRY_BLOCK];
            int n = 0;
            for (int k = from; k < candidates.length && candidates[k] < entries.first + entries.conv.length; k++) {
                int i = candidates[k] - entries.first;
                if (st.onlyConv().isEmpty() || entries.conv[i] == st.onlyConv().get()) {
                    sorted[n++] = (entries.timeSeconds[i] << 17) | i;
                }
            }
            java.util.Arrays.sort(sorted, 0, n);
            for (int k = n - 1; k >= 0; k--) {
                int i = (int) (sorted[k] & ((1 << 17) - 1));
                if (st.newest().size() >= st.limit() && entries.timeSeconds[i] < st.newest().peek()) {
                    break;
                }
                confirm(entries.conv[i], entries.index[i], entries.offset[i], entries.timeSeconds[i], st);
            }
        }
    }

    /** Decrypts one candidate's record and keeps it if it is a message containing the text. */
    private void confirm(int conv, long index, long offset, long timeSeconds, State st) {
        Reader reader = reader(conv);
        if (reader == null) {
            return;
        }
        HistoryRecord r = read(reader, offset, index);
        if (r == null || !SearchTokens.fold(r.text()).contains(st.folded())) {
            return;
        }
        String key = conv + "\u0000" + r.from() + "\u0000" + r.id();
        if (!r.isMessage() || r.pending()) {
            st.superseded().merge(key, index, Math::max);
            return;
        }
        Hit had = st.best().get(key);
        if (had != null) {
            if (had.index() < index) {
                st.best().put(key, new Hit(reader.conversation(), r, index));
            }
            return;
        }
        st.best().put(key, new Hit(reader.conversation(), r, index));
        st.newest().add(timeSeconds);
        if (st.newest().size() > st.limit()) {
            st.newest().poll();
        }
    }

    private Reader reader(int conv) {
        if (readers.containsKey(conv)) {
            return readers.get(conv);
        }
        Reader reader = null;
        List<SearchIndex.Conv> convs = index.conversations();
        if (conv < convs.size()) {
            SearchIndex.Conv c = convs.get(conv);
            Optional<ConversationId> id = ConversationId.parse(c.label);
            Optional<HistoryFile> file = id.isEmpty() ? Optional.empty() : opener.open(c.fileName, c.label);
            if (file.isPresent()) {
                try {
                    reader = new Reader(file.get(), FileChannel.open(historyDir.resolve(c.fileName),
                            StandardOpenOption.READ), id.get());
                } catch (IOException e) {
                    throw ClientException.store("cannot read " + historyDir.resolve(c.fileName) + ": "
                            + HistoryFile.reason(e), e);
                }
            }
        }
        readers.put(conv, reader);
        return reader;
    }

    private static HistoryRecord read(Reader reader, long offset, long index) {
        try {
            return reader.file().readAt(reader.channel(), offset, index).orElse(null);
        } catch (IOException e) {
            throw ClientException.store("cannot read " + reader.file().path() + ": " + HistoryFile.reason(e), e);
        }
    }

    @Override
    public void close() {
        for (Reader r : readers.values()) {
            if (r == null) {
                continue;
            }
            try {
                r.channel().close();
            } catch (IOException e) {
                throw ClientException.store("cannot close " + r.file().path() + ": " + HistoryFile.reason(e), e);
            }
        }
        readers.clear();
    }
}
