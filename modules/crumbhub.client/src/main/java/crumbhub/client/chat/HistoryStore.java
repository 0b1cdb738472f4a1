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
 * The chat history of one account (server and user) in the home directory: one
 * {@link HistoryFile} per conversation, at most {@code limit} lines each (the oldest go).
 *
 * <pre>
 *   HOME/history/ACCOUNT/CONVERSATION.hist     both names: 32 hex digits, HKDF of the account and
 *                                              conversation under the history key
 * </pre>
 *
 * The file names are keyed, so the directory shows how many conversations there are and how big
 * they are, not with whom. Two keys are derived from the history key (HKDF-SHA256): one encrypts
 * the records, one makes the names.
 *
 * <p>A file grows by appends up to {@code limit + limit / 5} records, then is rewritten with its
 * newest {@code limit} lines (compaction), so a busy conversation costs one rewrite per
 * {@code limit / 5} messages. Owned by one thread (the session thread); blocking file I/O.
 */
public final class HistoryStore implements AutoCloseable {
    /** Lines kept per conversation. */
    public static final int DEFAULT_LIMIT = 10_000;
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

    private HistoryStore(Path dir, byte[] recordKey, byte[] nameKey, String account, SecureRandom rng, int limit) {
        this.dir = dir;
        this.recordKey = recordKey;
        this.nameKey = nameKey;
        this.account = account;
        this.rng = rng;
        this.limit = limit;
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
        Path dir = historyDir.resolve(name(nameKey, "account\u0000" + account));
        AtomicFiles.createPrivateDirectory(dir);
        return new HistoryStore(dir, recordKey, nameKey, account, rng, limit);
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

    /** Appends lines to a conversation (forced to disk on return), compacting its file when it is due. */
    public void append(ConversationId conversation, List<HistoryRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        HistoryFile file = files.computeIfAbsent(conversation, c -> {
            Path p = dir.resolve(fileName(c.label()));
            return HistoryFile.open(p, recordKey, rng, account, this::fileName)
                    .map(HistoryFile.Opened::file)
                    .orElseGet(() -> HistoryFile.create(p, recordKey, rng, account, c.label()));
        });
        file.append(records);
        if (file.recordCount() > limit + limit / 5) {
            compact(conversation, file);
        }
    }

    private void compact(ConversationId conversation, HistoryFile file) {
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
