package crumbhub.client.chat;

import crumbhub.client.ClientException;
import crumbhub.client.home.AtomicFiles;
import crumbhub.crypto.Aead;
import crumbhub.crypto.Bytes;
import crumbhub.crypto.CryptoException;
import crumbhub.wire.log.Log;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The encrypted search index of one account's history, a cache derived from the history files:
 *
 * <pre>
 *   ACCOUNT/index/state         sealed: per history file its name, conversation, file identity and how far it
 *                               is indexed; the list of segments with their sizes and time ranges
 *   ACCOUNT/index/seg-HEX       an {@link IndexSegment}: record locators and keyed-token postings, as
 *                               u32 n, sealed block 0 (the directory, n bytes), sealed block 1, 2, ...
 *   sealed       = nonce[12] || AES-256-GCM(index key, nonce, "CHIX" || u8 1 || file name, plaintext) || tag
 *   sealed block = nonce[12] || AES-256-GCM(index key, nonce, "CHIX" || u8 2 || file name || u32 block, plaintext) || tag
 * </pre>
 *
 * A segment's blocks are sealed one by one so that a search decrypts only the blocks it needs; the
 * block number and file name in the associated data keep a block from being moved within a
 * segment or to another one, and the sealed directory gives every block's length. The only
 * plaintext is the directory's length. An index written by an earlier version (state version 1,
 * segments sealed whole) is not read: it is dropped and rebuilt from the history.
 *
 * Nothing in the index is plaintext: tokens are {@link SearchTokens} (keyed), and every file is
 * sealed under a key derived from the history key. The index never holds message text; a
 * candidate is confirmed by decrypting its history record.
 *
 * <p>Kept current lazily: {@link #catchUp} indexes whatever the history files hold past what the
 * state covers (whoever wrote it: chat, listen, daemon, send, a restore), in new segments, and
 * merges small segments. A history file that was rewritten (compaction) or shrank, a damaged
 * state or segment: the index is dropped and rebuilt from the history. New segments are written
 * before the state that lists them and old ones deleted after, so a crash leaves a usable index
 * (or files the next catch-up deletes).
 *
 * <p>Not thread-safe; called by {@link HistoryStore} under its {@link HistoryLock}. Blocking I/O.
 */
final class SearchIndex implements AutoCloseable {
    static final String DIR = "index";
    private static final String STATE = "state";
    private static final String SEGMENT_PREFIX = "seg-";
    private static final int STATE_VERSION = 2;
    private static final byte[] MAGIC = {'C', 'H', 'I', 'X', 1};
    private static final byte[] BLOCK_MAGIC = {'C', 'H', 'I', 'X', 2};
    private static final int LENGTH_FIELD = 4;
    /** Small segments allowed before they are merged (each catch-up makes one). */
    private static final int SMALL_SEGMENTS = 4;
    /** Segments kept in memory between searches (with the blocks read so far): 32 × 65,536 entries covers 2 million messages. */
    private static final int CACHED_SEGMENTS = 32;
    private static final Log LOG = Log.get(SearchIndex.class.getName());

    /** One history file as the state knows it. */
    static final class Conv {
        final String fileName;
        final String label;
        String fileKey;
        long nextIndex;
        long length;

        Conv(String fileName, String label, String fileKey, long nextIndex, long length) {
            this.fileName = fileName;
            this.label = label;
            this.fileKey = fileKey;
            this.nextIndex = nextIndex;
            this.length = length;
        }
    }

    /** One segment as the state lists it. */
    record Segment(String name, int entries, long minTime, long maxTime) {
    }

    /** How the index opens the account's history files. */
    interface HistoryFiles {
        /** Opens the history file {@code name} for reading (header checked), or empty if it is not this account's. */
        Optional<HistoryFile> open(String name);
    }

    private final Path dir;
    private final byte[] sealKey;
    private final SecureRandom rng;
    private final List<Conv> convs = new ArrayList<>();
    private final List<Segment> segments = new ArrayList<>();
    private final Map<String, IndexSegment> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, IndexSegment> eldest) {
            return size() > CACHED_SEGMENTS;
        }
    };
    private boolean loaded;
    /** Opens the blocks read (one cipher for all of them: see {@link Aead.Opener}); made on first use. */
    private Aead.Opener opener;
    private boolean damaged;

    SearchIndex(Path accountDir, byte[] sealKey, SecureRandom rng) {
        this.dir = accountDir.resolve(DIR);
        this.sealKey = sealKey.clone();
        this.rng = rng;
    }

    List<Conv> conversations() {
        return convs;
    }

    List<Segment> segments() {
        return segments;
    }

    /** Bytes of all files of the index. */
    long diskBytes() {
        if (java.nio.file.Files.notExists(dir)) {
            return 0;
        }
        try (var listing = java.nio.file.Files.list(dir)) {
            long sum = 0;
            for (Path p : listing.toList()) {
                sum += java.nio.file.Files.size(p);
            }
            return sum;
        } catch (IOException e) {
            throw ClientException.store("cannot list " + dir + ": " + HistoryFile.reason(e), e);
        }
    }

    /**
     * Indexes every record the history files hold past what the state covers.
     *
     * @param historyFiles the names of the account's history files
     */
    void catchUp(List<String> historyFiles, HistoryFiles files, SearchTokens tokens) {
        AtomicFiles.createPrivateDirectory(dir);
        load();
        if (stale(historyFiles)) {
            LOG.info("history_index_rebuilt");
            dropAll();
        }
        var builder = new IndexSegmentBuilder();
        var added = new ArrayList<Segment>();
        boolean changed = false;
        // the new records of every file, merged by time: segments then cover disjoint stretches of
        // time, and a search of a common word stops after the newest segment
        var heads = new java.util.PriorityQueue<Head>(java.util.Comparator.comparingLong(Head::time));
        var cursors = new ArrayList<HistoryCursor>();
        try {
            for (String name : historyFiles) {
                Conv known = byFile(name);
                if (known != null && sizeOf(name) == known.length) {
                    continue;
                }
                Optional<HistoryFile> opened = files.open(name);
                if (opened.isEmpty()) {
                    continue;
                }
                HistoryFile file = opened.get();
                if (known == null) {
                    known = new Conv(name, file.conversation(), String.valueOf(HistoryFile.fileKeyOf(file.path())), 1,
                            0);
                    convs.add(known);
                }
                long from = known.nextIndex <= 1 ? file.headerLength() : known.length;
                var cursor = file.cursor(from, known.nextIndex);
                cursors.add(cursor);
                var head = new Head(known, convs.indexOf(known), cursor);
                if (head.advance()) {
                    heads.add(head);
                }
                changed = true;
            }
            while (!heads.isEmpty()) {
                Head head = heads.poll();
                HistoryRecord record = head.cursor.record();
                if (record != null) { // one that failed its check is not indexed (the chat reports it when read)
                    var list = new IndexSegment.IntList();
                    var positions = new IndexSegment.IntList();
                    tokens.tokens(record.text(), (token, position) -> {
                        list.add(token);
                        positions.add(position);
                    });
                    builder.add(head.number, head.cursor.recordIndex(), head.cursor.recordOffset(),
                            record.time().getEpochSecond(), list.toArray(), positions.toArray());
                    if (builder.size() >= IndexSegment.MAX_ENTRIES) {
                        added.add(write(builder));
                        builder.clear();
                    }
                }
                if (head.advance()) {
                    heads.add(head);
                } else {
                    var layout = head.cursor.layout();
                    head.conv.nextIndex = layout.nextIndex();
                    head.conv.length = layout.validLength();
                }
            }
        } finally {
            cursors.forEach(HistoryCursor::close);
        }
        if (builder.size() > 0) {
            added.add(write(builder));
        }
        segments.addAll(added);
        List<String> obsolete = mergeSmall();
        if (changed || !obsolete.isEmpty()) {
            saveState();
        }
        for (String name : obsolete) {
            AtomicFiles.delete(dir.resolve(name));
        }
        deleteOrphans();
    }

    /** The next record of one file during a catch-up. */
    private static final class Head {
        final Conv conv;
        final int number;
        final HistoryCursor cursor;
        long time;

        Head(Conv conv, int number, HistoryCursor cursor) {
            this.conv = conv;
            this.number = number;
            this.cursor = cursor;
        }

        boolean advance() {
            if (!cursor.next()) {
                return false;
            }
            time = cursor.record() == null ? Long.MIN_VALUE : cursor.record().time().toEpochMilli();
            return true;
        }

        long time() {
            return time;
        }
    }

    /** Whether a known history file was rewritten or shrank: the locators of its records are wrong. */
    private boolean stale(List<String> historyFiles) {
        for (Conv c : convs) {
            if (!historyFiles.contains(c.fileName)) {
                continue; // deleted: its entries are skipped when read
            }
            Path p = historyDir().resolve(c.fileName);
            if (!String.valueOf(HistoryFile.fileKeyOf(p)).equals(c.fileKey) || sizeOf(c.fileName) < c.length) {
                return true;
            }
        }
        return false;
    }

    private Path historyDir() {
        return dir.getParent();
    }

    private long sizeOf(String historyFile) {
        try {
            return java.nio.file.Files.size(historyDir().resolve(historyFile));
        } catch (IOException e) {
            return -1;
        }
    }

    Conv byFile(String name) {
        for (Conv c : convs) {
            if (c.fileName.equals(name)) {
                return c;
            }
        }
        return null;
    }

    /**
     * The segment (from the cache, or its directory read from its file; its blocks are read when
     * used); empty if its file is missing, fails its check or is malformed, and then {@link #damaged}
     * is set: the caller rebuilds the index and searches again. A block read later that cannot be
     * read, fails its check or is malformed throws {@link IllegalArgumentException}: the caller
     * passes it to {@link #damaged(Segment, RuntimeException)}.
     */
    Optional<IndexSegment> segment(Segment s) {
        IndexSegment cached = cache.get(s.name());
        if (cached != null) {
            return Optional.of(cached);
        }
        IndexSegment opened;
        try {
            opened = open(s.name());
        } catch (ClientException | IllegalArgumentException e) {
            damaged(s, e);
            return Optional.empty();
        }
        cache.put(s.name(), opened);
        return Optional.of(opened);
    }

    /** Notes that a block of {@code s} could not be read: the index is rebuilt before the search is run again. */
    void damaged(Segment s, RuntimeException e) {
        LOG.info("history_index_damaged", "segment", s.name(), "reason", e.getMessage());
        cache.remove(s.name());
        damaged = true;
    }

    private IndexSegment open(String name) {
        Path file = dir.resolve(name);
        try (var ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            byte[] length = readFully(ch, 0, LENGTH_FIELD, size, name);
            int n = ((length[0] & 0xff) << 24) | ((length[1] & 0xff) << 16) | ((length[2] & 0xff) << 8)
                    | (length[3] & 0xff);
            if (n < 0 || n > size - LENGTH_FIELD) {
                throw ClientException.store("the search index file " + name + " is truncated");
            }
            byte[] directory = unsealBlock(name, 0, readFully(ch, LENGTH_FIELD, n, size, name));
            return IndexSegment.open(directory, LENGTH_FIELD + (long) n, (number, offset, len) -> readBlock(name,
                    number, offset, len));
        } catch (IOException e) {
            throw ClientException.store("cannot read " + file + ": " + HistoryFile.reason(e), e);
        }
    }

    /** A block of a segment; a block that cannot be read or fails its check is an {@link IllegalArgumentException}. */
    private byte[] readBlock(String name, int number, long offset, int length) {
        Path file = dir.resolve(name);
        try (var ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return unsealBlock(name, number, readFully(ch, offset, length, ch.size(), name));
        } catch (IOException | ClientException e) {
            throw new IllegalArgumentException("block " + number + " of " + name + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readFully(FileChannel ch, long offset, int length, long size, String name)
            throws IOException {
        if (offset + length > size) {
            throw ClientException.store("the search index file " + name + " is truncated");
        }
        var buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (ch.read(buffer, offset + buffer.position()) < 0) {
                throw ClientException.store("the search index file " + name + " is truncated");
            }
        }
        return buffer.array();
    }

    /** Whether a segment could not be read since the last {@link #dropAll}. */
    boolean damaged() {
        return damaged;
    }

    /** Deletes the index (it is rebuilt from the history by the next catch-up). */
    void dropAll() {
        damaged = false;
        convs.clear();
        segments.clear();
        cache.clear();
        if (java.nio.file.Files.exists(dir)) {
            AtomicFiles.delete(dir.resolve(STATE));
            deleteOrphans();
        }
        loaded = true;
    }

    private Segment write(IndexSegmentBuilder builder) {
        List<byte[]> blocks = builder.encode();
        String name = SEGMENT_PREFIX + HexFormat.of().toHexDigits(rng.nextLong());
        var file = new ByteArrayOutputStream();
        for (int b = 0; b < blocks.size(); b++) {
            byte[] sealed = sealBlock(name, b, blocks.get(b));
            if (b == 0) {
                file.writeBytes(ByteBuffer.allocate(LENGTH_FIELD).putInt(sealed.length).array());
            }
            file.writeBytes(sealed);
        }
        AtomicFiles.write(dir.resolve(name), file.toByteArray());
        return new Segment(name, builder.size(), builder.minTime(), builder.maxTime());
    }

    /** Merges the small segments (oldest first) into as few as fit; returns the names to delete once the state is saved. */
    private List<String> mergeSmall() {
        var small = segments.stream().filter(s -> s.entries() < IndexSegment.MAX_ENTRIES / 2).toList();
        if (small.size() <= SMALL_SEGMENTS) {
            return List.of();
        }
        var obsolete = new ArrayList<String>();
        var builder = new IndexSegmentBuilder();
        var merged = new ArrayList<Segment>();
        for (Segment s : small) {
            if (builder.size() + s.entries() > IndexSegment.MAX_ENTRIES) {
                merged.add(write(builder));
                builder.clear();
            }
            Optional<IndexSegment> old = segment(s);
            if (old.isEmpty()) {
                return List.of(); // damaged: the search that follows rebuilds the whole index
            }
            try {
                builder.addAll(old.get());
            } catch (IllegalArgumentException e) {
                damaged(s, e);
                return List.of(); // the segments merged so far are orphans, deleted by the catch-up
            }
            obsolete.add(s.name());
        }
        if (builder.size() > 0) {
            merged.add(write(builder));
        }
        int at = segments.indexOf(small.getFirst());
        segments.removeAll(small);
        segments.addAll(Math.min(at, segments.size()), merged);
        obsolete.forEach(cache::remove);
        return obsolete;
    }

    private void deleteOrphans() {
        Set<String> live = new HashSet<>();
        segments.forEach(s -> live.add(s.name()));
        try (var listing = java.nio.file.Files.list(dir)) {
            for (Path p : listing.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(SEGMENT_PREFIX) && !live.contains(name)) {
                    AtomicFiles.delete(p);
                }
            }
        } catch (IOException e) {
            throw ClientException.store("cannot list " + dir + ": " + HistoryFile.reason(e), e);
        }
    }

    private void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        Path file = dir.resolve(STATE);
        if (java.nio.file.Files.notExists(file)) {
            return;
        }
        try (var in = new DataInputStream(new ByteArrayInputStream(unseal(STATE, read(file))))) {
            if (in.readUnsignedByte() != STATE_VERSION) {
                throw new IOException("unknown state version");
            }
            int n = in.readInt();
            for (int k = 0; k < n; k++) {
                convs.add(new Conv(in.readUTF(), in.readUTF(), in.readUTF(), in.readLong(), in.readLong()));
            }
            int s = in.readInt();
            for (int k = 0; k < s; k++) {
                segments.add(new Segment(in.readUTF(), in.readInt(), in.readLong(), in.readLong()));
            }
        } catch (IOException | ClientException e) {
            LOG.info("history_index_unreadable", "reason", e.getMessage());
            convs.clear();
            segments.clear();
        }
    }

    private void saveState() {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            out.writeByte(STATE_VERSION);
            out.writeInt(convs.size());
            for (Conv c : convs) {
                out.writeUTF(c.fileName);
                out.writeUTF(c.label);
                out.writeUTF(c.fileKey);
                out.writeLong(c.nextIndex);
                out.writeLong(c.length);
            }
            out.writeInt(segments.size());
            for (Segment s : segments) {
                out.writeUTF(s.name());
                out.writeInt(s.entries());
                out.writeLong(s.minTime());
                out.writeLong(s.maxTime());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        AtomicFiles.write(dir.resolve(STATE), seal(STATE, bytes.toByteArray()));
    }

    private byte[] seal(String name, byte[] plain) {
        var nonce = new byte[Aead.NONCE_LENGTH];
        rng.nextBytes(nonce);
        byte[] sealed = Aead.seal(sealKey, nonce, ad(name), plain);
        return Bytes.concat(nonce, sealed);
    }

    private byte[] unseal(String name, byte[] file) {
        if (file.length < Aead.NONCE_LENGTH + Aead.TAG_LENGTH) {
            throw ClientException.store("the search index file " + name + " is truncated");
        }
        try {
            return Aead.open(sealKey, java.util.Arrays.copyOf(file, Aead.NONCE_LENGTH), ad(name),
                    java.util.Arrays.copyOfRange(file, Aead.NONCE_LENGTH, file.length));
        } catch (CryptoException e) {
            throw ClientException.store("the search index file " + name + " failed its integrity check", e);
        }
    }

    private static byte[] ad(String name) {
        return Bytes.concat(MAGIC, name.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] sealBlock(String name, int number, byte[] plain) {
        var nonce = new byte[Aead.NONCE_LENGTH];
        rng.nextBytes(nonce);
        return Bytes.concat(nonce, Aead.seal(sealKey, nonce, blockAd(name, number), plain));
    }

    private byte[] unsealBlock(String name, int number, byte[] sealed) {
        if (sealed.length < IndexSegment.SEAL_OVERHEAD) {
            throw ClientException.store("the search index file " + name + " is truncated");
        }
        try {
            if (opener == null) {
                opener = Aead.opener(sealKey);
            }
            return opener.openSealed(sealed, blockAd(name, number));
        } catch (CryptoException e) {
            throw ClientException.store("block " + number + " of the search index file " + name
                    + " failed its integrity check", e);
        }
    }

    private static byte[] blockAd(String name, int number) {
        return Bytes.concat(BLOCK_MAGIC, name.getBytes(StandardCharsets.UTF_8),
                ByteBuffer.allocate(4).putInt(number).array());
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw ClientException.store("cannot read " + file + ": " + HistoryFile.reason(e), e);
        }
    }

    @Override
    public void close() {
        cache.clear();
        Bytes.zero(sealKey);
    }
}
