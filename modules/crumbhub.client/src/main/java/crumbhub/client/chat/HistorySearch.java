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
    private final HistoryStore.FileOpener opener;
    private final Map<Integer, Reader> readers = new HashMap<>();

    private record Reader(HistoryFile file, FileChannel channel, ConversationId conversation) {
    }

    HistorySearch(SearchIndex index, Path historyDir, HistoryStore.FileOpener opener) {
        this.index = index;
        this.historyDir = historyDir;
        this.opener = opener;
    }

    List<Hit> run(String query, int[] tokens, Optional<Integer> onlyConv, int limit) {
        String folded = SearchTokens.fold(query);
        var best = new HashMap<String, Hit>();
        var superseded = new HashMap<String, Long>();
        var newest = new PriorityQueue<Long>();
        var segments = new ArrayList<>(index.segments());
        segments.sort(Comparator.comparingLong(SearchIndex.Segment::maxTime).reversed());
        for (SearchIndex.Segment s : segments) {
            if (newest.size() >= limit && s.maxTime() < newest.peek()) {
                break;
            }
            Optional<IndexSegment> loaded = index.segment(s);
            if (loaded.isEmpty()) {
                continue; // damaged: the store rebuilds the index and searches again
            }
            IndexSegment seg = loaded.get();
            int[] candidates = seg.candidates(tokens);
            // newest first: (time, entry) packed in a long, so that the sort needs no boxing
            long[] sorted = new long[candidates.length];
            int n = 0;
            for (int c : candidates) {
                if (onlyConv.isEmpty() || seg.conv[c] == onlyConv.get()) {
                    sorted[n++] = (seg.timeSeconds[c] << 17) | c;
                }
            }
            sorted = java.util.Arrays.copyOf(sorted, n);
            java.util.Arrays.sort(sorted);
            for (int k = sorted.length - 1; k >= 0; k--) {
                int c = (int) (sorted[k] & ((1 << 17) - 1));
                if (newest.size() >= limit && seg.timeSeconds[c] < newest.peek()) {
                    break;
                }
                Reader reader = reader(seg.conv[c]);
                if (reader == null) {
                    continue;
                }
                HistoryRecord r = read(reader, seg.offset[c], seg.index[c]);
                if (r == null || !SearchTokens.fold(r.text()).contains(folded)) {
                    continue;
                }
                String key = seg.conv[c] + "\u0000" + r.from() + "\u0000" + r.id();
                long at = seg.index[c];
                if (!r.isMessage() || r.pending()) {
                    superseded.merge(key, at, Math::max);
                    continue;
                }
                Hit had = best.get(key);
                if (had != null) {
                    if (had.index() < at) {
                        best.put(key, new Hit(reader.conversation(), r, at));
                    }
                    continue;
                }
                best.put(key, new Hit(reader.conversation(), r, at));
                newest.add(seg.timeSeconds[c]);
                if (newest.size() > limit) {
                    newest.poll();
                }
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

    private Reader reader(int conv) {
        if (readers.containsKey(conv)) {
            return readers.get(conv);
        }
        Reader reader = null;
        List<SearchIndex.Conv> convs = index.conversations();
        if (conv < convs.size()) {
            SearchIndex.Conv c = convs.get(conv);
            Optional<ConversationId> id = ConversationId.parse(c.label);
            Optional<HistoryFile> file = id.isEmpty() ? Optional.empty() : opener.open(c.fileName);
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
