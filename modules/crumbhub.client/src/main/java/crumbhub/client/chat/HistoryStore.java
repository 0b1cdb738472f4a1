package crumbhub.client.chat;

import crumbhub.client.ClientException;
import crumbhub.client.home.AtomicFiles;
import crumbhub.client.model.ConversationId;
import crumbhub.crypto.Bytes;
import crumbhub.crypto.Hkdf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The history of one account (server and user) in the home directory: one {@link HistoryFile}
 * per conversation, at most {@code limit} lines each (the oldest go), and its encrypted
 * {@link SearchIndex}. Every command that receives or sends on this device writes here:
 * {@code chat}, {@code daemon}, {@code listen}, {@code send} (docs/client.md, "History and search").
 *
 * <pre>
 *   HOME/history/ACCOUNT/CONVERSATION.hist     both names: 32 hex digits, HKDF of the account and
 *                                              conversation under the history key
 *   HOME/history/ACCOUNT/lock                  the {@link HistoryLock} of every writer
 *   HOME/history/ACCOUNT/index/                the search index ({@link SearchIndex})
 * </pre>
 *
 * The file names are keyed, so the directory shows how many conversations there are and how big
 * they are, not with whom. Four keys are derived from the history key (HKDF-SHA256): one encrypts
 * the records, one makes the names, one seals the index, one keys its tokens.
 *
 * <p>Several processes may write one account's history (a {@code send} beside a running chat):
 * each append takes the {@link HistoryLock}, first takes in what others appended, then writes.
 * A file grows by appends up to {@code limit + limit / 5} records, then is rewritten with its
 * newest {@code limit} lines (compaction, which also makes the next search rebuild the index).
 * Owned by one thread (the session thread, or the command's); blocking file I/O.
 */
public final class HistoryStore implements AutoCloseable {
    /**
     * Lines kept per conversation: a million, so that in practice nothing is dropped (a million
     * lines of 100 characters are about 150 MB on disk) while a runaway conversation still ends.
     */
    public static final int DEFAULT_LIMIT = 1_000_000;
    /** Results of a search when no limit is given. */
    public static final int DEFAULT_SEARCH_LIMIT = 50;
    private static final String LOCK = "lock";
    private static final String SUFFIX = ".hist";
    private static final int NAME_BYTES = 16;

    /** A conversation read back at start: its lines in time order, and what was wrong with the file, if anything. */
    public record Loaded(ConversationId conversation, List<HistoryRecord> records, Optional<String> damage) {
        /** The user left this room and has not come back: it is not reopened at start. */
        public boolean left() {
            return !records.isEmpty() && records.getLast().kind() == HistoryRecord.Kind.LEFT;
        }
    }

    private final Path dir;
    private final byte[] recordKey;
    private final byte[] nameKey;
    private final String account;
    private final SecureRandom rng;
    private final int limit;
    private final Map<ConversationId, HistoryFile> files = new HashMap<>();
    private final Map<String, Offsets> offsets = new HashMap<>();
    private final HistoryLock lock;
    private final SearchIndex index;
    private final SearchTokens tokens;

    private HistoryStore(Path dir, byte[] recordKey, byte[] nameKey, byte[] indexKey, byte[] tokenKey, String account,
                         SecureRandom rng, int limit) {
        this.dir = dir;
        this.recordKey = recordKey;
        this.nameKey = nameKey;
        this.account = account;
        this.rng = rng;
        this.limit = limit;
        this.lock = new HistoryLock(dir.resolve(LOCK));
        this.index = new SearchIndex(dir, indexKey, rng);
        this.tokens = new SearchTokens(tokenKey);
        Bytes.zero(indexKey, tokenKey);
    }

    /** Opens the history file the index names for a conversation, or empty if the name is not that conversation's. */
    interface IndexedOpener {
        Optional<HistoryFile> open(String fileName, String label);
    }

    /**
     * Opens the history of {@code account} ({@code server user}) under {@code historyDir}.
     * {@code historyKey} is not kept (the caller zeroes it).
     */
    public static HistoryStore open(Path historyDir, byte[] historyKey, String account, SecureRandom rng, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("history limit must be positive");
        }
        byte[] recordKey = Hkdf.derive(null, historyKey, utf8("CrumbHub history records v1"), 32);
        byte[] nameKey = Hkdf.derive(null, historyKey, utf8("CrumbHub history names v1"), 32);
        byte[] indexKey = Hkdf.derive(null, historyKey, utf8("CrumbHub history index v1"), 32);
        byte[] tokenKey = Hkdf.derive(null, historyKey, utf8("CrumbHub history index tokens v1"), 32);
        Path dir = historyDir.resolve(name(nameKey, "account\u0000" + account));
        AtomicFiles.createPrivateDirectory(dir);
        return new HistoryStore(dir, recordKey, nameKey, indexKey, tokenKey, account, rng, limit);
    }

    public int limit() {
        return limit;
    }

    /** Every conversation with history, each with its newest {@code limit} lines in time order. */
    public List<Loaded> loadAll() {
        var out = new ArrayList<Loaded>();
        List<Path> paths;
        try (var listing = Files.list(dir)) {
            paths = listing.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        } catch (IOException e) {
            throw ClientException.store("cannot list " + dir + ": " + HistoryFile.reason(e), e);
        }
        for (Path p : paths) {
            var opened = HistoryFile.open(p, recordKey, rng, account, this::fileName);
            if (opened.isEmpty()) {
                continue; // not a file of this account and key (e.g. left by a store that was reset)
            }
            var contents = opened.get().contents();
            Optional<ConversationId> id = ConversationId.parse(contents.conversation());
            if (id.isEmpty()) {
                continue;
            }
            files.put(id.get(), opened.get().file());
            out.add(new Loaded(id.get(), newest(contents.records()), contents.damage()));
        }
        return out;
    }

    /**
     * Appends lines to a conversation (forced to disk on return), compacting its file when it is
     * due. Takes the history lock, so other processes' appends to the same file are kept.
     */
    public void append(ConversationId conversation, List<HistoryRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        try (var held = lock.acquire()) {
            HistoryFile file = files.get(conversation);
            if (file != null && !file.current()) {
                file.close();
                file = null;
            }
            if (file == null) {
                Path p = dir.resolve(fileName(conversation.label()));
                file = HistoryFile.openForAppend(p, recordKey, rng, account, this::fileName)
                        .orElseGet(() -> HistoryFile.create(p, recordKey, rng, account, conversation.label()));
                files.put(conversation, file);
            } else {
                file.extend();
            }
            file.append(records);
            if (file.recordCount() > limit + limit / 5) {
                compact(conversation, file);
            }
        }
    }

    /**
     * Rewrites a conversation's file with the newest version of each record, without those
     * {@code drop} accepts, then brings the search index up to date (a rewritten file is indexed
     * again from scratch). This is how a deleted message's text and its earlier versions leave the
     * disk and the index (docs/client.md "Replies, reactions, edits and deletes"). Takes the
     * history lock; blocking file I/O.
     */
    public void rewrite(ConversationId conversation, java.util.function.Predicate<HistoryRecord> drop) {
        try (var held = lock.acquire()) {
            HistoryFile file = files.remove(conversation);
            if (file != null) {
                file.close();
            }
            Path p = dir.resolve(fileName(conversation.label()));
            var reread = HistoryFile.open(p, recordKey, rng, account, this::fileName);
            if (reread.isEmpty()) {
                return;
            }
            List<HistoryRecord> keep = new ArrayList<>(newest(reread.get().contents().records()));
            keep.removeIf(drop);
            HistoryFile target = reread.get().file();
            target.rewrite(keep);
            files.put(conversation, target);
            index.catchUp(historyFiles(), this::openForReading, tokens);
        }
    }

    /** The conversations that have history, by their labels ({@code #room}, {@code @user}). */
    public List<ConversationId> conversations() {
        var out = new ArrayList<ConversationId>();
        for (String name : historyFiles()) {
            openForReading(name).flatMap(f -> ConversationId.parse(f.conversation())).ifPresent(out::add);
        }
        return out;
    }

    /**
     * Lines of a conversation before record {@code before} (exclusive; {@link Long#MAX_VALUE} for
     * the newest), at most {@code count} of those {@code keep} accepts, in time order. Replaced
     * records count once, as their newest version. Reads backwards from the end of the file, so
     * the cost is the length of the file (length fields only) plus the lines returned.
     */
    public Page page(ConversationId conversation, long before, int count, java.util.function.Predicate<HistoryRecord> keep) {
        Optional<HistoryFile> opened = openForReading(fileName(conversation.label()));
        if (opened.isEmpty() || count <= 0) {
            return new Page(List.of(), 0, Optional.empty());
        }
        HistoryFile file = opened.get();
        IndexSegment.LongList offsets = offsets(file);
        var seen = new java.util.HashSet<String>();
        var lines = new ArrayList<HistoryRecord>();
        long oldest = Math.min(before, offsets.size() + 1L);
        String damage = null;
        try (var ch = java.nio.channels.FileChannel.open(file.path(), java.nio.file.StandardOpenOption.READ)) {
            for (long i = oldest - 1; i >= 1 && lines.size() < count; i--) {
                oldest = i;
                Optional<HistoryRecord> r = file.readAt(ch, offsets.get((int) (i - 1)), i);
                if (r.isEmpty()) {
                    damage = "record " + i + " failed its integrity check";
                    continue;
                }
                if (seen.add(r.get().from() + "\u0000" + r.get().id()) && keep.test(r.get())) {
                    lines.add(r.get());
                }
            }
        } catch (IOException e) {
            throw ClientException.store("cannot read " + file.path() + ": " + HistoryFile.reason(e), e);
        }
        java.util.Collections.reverse(lines);
        lines.sort(Comparator.comparing(HistoryRecord::time));
        return new Page(lines, lines.isEmpty() && oldest <= 1 ? 0 : oldest, Optional.ofNullable(damage));
    }

    /**
     * Where each record of {@code file} starts (record i at {@code get(i - 1)}): kept between
     * calls and extended by what was appended since, so paging back through a long conversation
     * reads its length fields once.
     */
    private IndexSegment.LongList offsets(HistoryFile file) {
        String name = file.path().getFileName().toString();
        String key = HistoryFile.fileKeyOf(file.path());
        Offsets known = offsets.get(name);
        if (known == null || !java.util.Objects.equals(known.fileKey, key)) {
            known = new Offsets(key, new IndexSegment.LongList(), new long[] {file.headerLength(), 1});
            offsets.put(name, known);
        }
        Offsets o = known;
        var end = file.scan(o.end[0], o.end[1], (i, offset) -> o.list.add(offset));
        o.end[0] = end.validLength();
        o.end[1] = end.nextIndex();
        return o.list;
    }

    /** The record offsets of one file as far as read: its identity, the offsets, and where reading stopped. */
    private record Offsets(String fileKey, IndexSegment.LongList list, long[] end) {
    }

    /**
     * Some lines of a conversation.
     *
     * @param records the lines, in time order
     * @param before  where the next older page starts ({@link #page}'s {@code before}); 0 when there is none
     * @param damage  a record that failed its integrity check, if one was met
     */
    public record Page(List<HistoryRecord> records, long before, Optional<String> damage) {
        public boolean hasOlder() {
            return before > 1;
        }
    }

    /** A message found by {@link #search}. */
    public record Found(ConversationId conversation, HistoryRecord record) {
    }

    /**
     * The newest {@code limit} messages containing {@code text} (case-insensitive), in every
     * conversation or in {@code only}, in time order. Brings the index up to date first.
     */
    public List<Found> search(String text, Optional<ConversationId> only, int limit) {
        try (var held = lock.acquire()) {
            updateIndex();
            List<Found> found = searchIndexed(text, only, limit);
            if (index.damaged()) {
                // a segment could not be read: rebuild the index from the history, then search again
                index.dropAll();
                updateIndex();
                found = searchIndexed(text, only, limit);
            }
            return found;
        }
    }

    private List<Found> searchIndexed(String text, Optional<ConversationId> only, int limit) {
        Optional<Integer> conv = Optional.empty();
        if (only.isPresent()) {
            SearchIndex.Conv c = index.byFile(fileName(only.get().label()));
            if (c == null) {
                return List.of();
            }
            conv = Optional.of(index.conversations().indexOf(c));
        }
        try (var search = new HistorySearch(index, dir, this::openIndexed)) {
            return search.run(text, tokens.query(text), conv, Math.max(1, limit)).stream()
                    .map(h -> new Found(h.conversation(), h.record())).toList();
        }
    }

    /** Brings the search index up to date with the history files (under the lock). */
    public void updateIndex() {
        try (var held = lock.acquire()) {
            index.catchUp(historyFiles(), this::openForReading, tokens);
        }
    }

    /** Bytes on disk: the history files, and the search index. */
    public long[] diskBytes() {
        long history = 0;
        for (String name : historyFiles()) {
            try {
                history += Files.size(dir.resolve(name));
            } catch (IOException e) {
                throw ClientException.store("cannot read " + dir + ": " + HistoryFile.reason(e), e);
            }
        }
        return new long[] {history, index.diskBytes()};
    }

    /**
     * The history file the sealed index state names for conversation {@code label}, for reading its
     * records, without decrypting its header: the name must be the one {@code label} gives under
     * this account's name key, and every record read is checked against its key and file name.
     */
    private Optional<HistoryFile> openIndexed(String fileName, String label) {
        if (!fileName(label).equals(fileName) || Files.notExists(dir.resolve(fileName))) {
            return Optional.empty();
        }
        return Optional.of(HistoryFile.forRecords(dir.resolve(fileName), recordKey, rng, account, label));
    }

    private Optional<HistoryFile> openForReading(String fileName) {
        return HistoryFile.openHeader(dir.resolve(fileName), recordKey, rng, account, this::fileName);
    }

    private List<String> historyFiles() {
        try (var listing = Files.list(dir)) {
            return listing.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(SUFFIX)).sorted().toList();
        } catch (IOException e) {
            throw ClientException.store("cannot list " + dir + ": " + HistoryFile.reason(e), e);
        }
    }

    private void compact(ConversationId conversation, HistoryFile file) {
        // the index's locators of this file become wrong: the next catch-up sees the new file and rebuilds
        file.close();
        var reread = HistoryFile.open(file.path(), recordKey, rng, account, this::fileName);
        List<HistoryRecord> keep = reread.map(o -> newest(o.contents().records())).orElse(List.of());
        file.rewrite(keep);
        files.put(conversation, file);
    }

    /**
     * The effective lines: a record replaces an earlier one with the same id (pending to sent), then
     * time order (stable), then the newest {@code limit}.
     */
    List<HistoryRecord> newest(List<HistoryRecord> records) {
        var byId = new LinkedHashMap<String, HistoryRecord>();
        for (HistoryRecord r : records) {
            byId.put(r.id(), r);
        }
        var lines = new ArrayList<>(byId.values());
        lines.sort(Comparator.comparing(HistoryRecord::time));
        return lines.size() <= limit ? lines : new ArrayList<>(lines.subList(lines.size() - limit, lines.size()));
    }

    @Override
    public void close() {
        for (HistoryFile f : files.values()) {
            f.close();
        }
        files.clear();
        index.close();
        tokens.close();
        Bytes.zero(recordKey, nameKey);
    }

    private String fileName(String conversationLabel) {
        return name(nameKey, "account\u0000" + account + "\u0000conversation\u0000" + conversationLabel) + SUFFIX;
    }

    private static String name(byte[] key, String what) {
        return Bytes.hex(Hkdf.derive(null, key, utf8(what), NAME_BYTES));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
