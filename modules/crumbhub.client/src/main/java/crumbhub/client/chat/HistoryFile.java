package crumbhub.client.chat;

import crumbhub.client.ClientException;
import crumbhub.client.home.AtomicFiles;
import crumbhub.crypto.Aead;
import crumbhub.crypto.CryptoException;
import crumbhub.wire.log.Log;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One conversation's history on disk: an append-only sequence of records, each encrypted on its
 * own, so that a new message costs one append and a crash can only tear the last record.
 *
 * <pre>
 *   file    = record*                     record 0 is the header, the others are {@link HistoryRecord}s
 *   record  = u32 n, nonce[12], AES-256-GCM(key, nonce, ad(i), plaintext) || tag[16]      (n = 12 + ciphertext)
 *   ad(i)   = "CHHF" || u8 version (1) || file name (UTF-8) || u64 i                       (i = record index)
 *   header  = "CHHF" u8 version, u16 n account (UTF-8), u16 n conversation (UTF-8)
 * </pre>
 *
 * The index in the associated data pins every record to its place and the file name pins it to
 * its file, so records cannot be reordered, dropped from the middle or moved between files
 * without the change being detected; only whole records at the end can be cut off unnoticed,
 * which looks like a crash. Reading stops at the first record that is torn or fails its check;
 * the next append cuts the file there. Nonces are random (96 bits): far fewer than 2^32 records
 * are ever written under one key. The record format is {@link RecordSeal}'s; reading a file
 * record by record is {@link HistoryCursor}'s.
 *
 * <p>Not thread-safe: owned by the session thread. Blocking file I/O.
 */
final class HistoryFile implements AutoCloseable {
    private static final int LENGTH_FIELD = RecordSeal.LENGTH_FIELD;

    /** What reading a file found. */
    record Contents(String conversation, List<HistoryRecord> records, Optional<String> damage) {
    }

    private final Path path;
    private final byte[] key;
    private final SecureRandom rng;
    private final RecordSeal seal;
    private final String account;
    private final String conversation;
    private FileChannel channel;
    /** Index of the next record to write (the header is record 0). */
    private long nextIndex;
    /** Bytes of valid records; an append starts here (cutting off a torn or damaged tail). */
    private long validLength;
    /** The file's identity when opened for appending (see {@link #current}). */
    private String fileKey;
    private long headerLength;

    private HistoryFile(Path path, byte[] key, SecureRandom rng, String account, String conversation) {
        this.path = path;
        this.key = key;
        this.rng = rng;
        this.account = account;
        this.conversation = conversation;
        this.seal = new RecordSeal(key, rng, path.getFileName().toString(), account);
    }

    Path path() {
        return path;
    }

    /** Records written after the header. */
    long recordCount() {
        return Math.max(0, nextIndex - 1);
    }

    /**
     * Reads the file at {@code path} if it belongs to {@code account} (its header opens under
     * {@code key} and names the account, and the file has the name {@code nameOf} gives for the
     * conversation the header names); empty if it is not such a file. {@code key} is kept (not
     * copied) and must outlive this object.
     */
    static Optional<Opened> open(Path path, byte[] key, SecureRandom rng, String account,
                                 java.util.function.Function<String, String> nameOf) {
        if (Files.notExists(path)) {
            return Optional.empty();
        }
        var file = new HistoryFile(path, key, rng, account, "");
        var contents = file.read(nameOf);
        return contents.map(c -> {
            var opened = new HistoryFile(path, key, rng, account, c.conversation()).positioned(file.nextIndex,
                    file.validLength);
            opened.fileKey = fileKeyOf(path);
            opened.headerLength = file.headerLength;
            return new Opened(opened, c);
        });
    }

    /**
     * Opens the file at {@code path} for appending and random reads without decrypting its
     * records: the header is checked as {@link #open} does, then only the length fields are read
     * to find where the next record goes. A record that fails its check is noticed when it is read
     * ({@link #readAt}, {@link #scan}); a torn tail is cut by the next append. Empty if the file is
     * not this account's.
     */
    static Optional<HistoryFile> openForAppend(Path path, byte[] key, SecureRandom rng, String account,
                                               java.util.function.Function<String, String> nameOf) {
        if (Files.notExists(path)) {
            return Optional.empty();
        }
        Optional<HistoryFile> file = openHeader(path, key, rng, account, nameOf);
        file.ifPresent(HistoryFile::extend);
        return file;
    }

    /** As {@link #openForAppend}, but positioned right after the header, without looking further. */
    static Optional<HistoryFile> openHeader(Path path, byte[] key, SecureRandom rng, String account,
                                            java.util.function.Function<String, String> nameOf) {
        if (Files.notExists(path)) {
            return Optional.empty();
        }
        var probe = new HistoryFile(path, key, rng, account, "");
        Optional<String> conversation = probe.readHeader(nameOf);
        if (conversation.isEmpty()) {
            return Optional.empty();
        }
        var file = new HistoryFile(path, key, rng, account, conversation.get());
        file.fileKey = fileKeyOf(path);
        file.headerLength = probe.validLength;
        return Optional.of(file.positioned(1, probe.validLength));
    }

    /**
     * The file of {@code conversation} at {@code path}, for {@link #readAt} only, without reading
     * anything: the caller knows the name is the conversation's (the search index), and every
     * record read is checked against the key and the file name. {@code key} is kept (not copied).
     */
    static HistoryFile forRecords(Path path, byte[] key, SecureRandom rng, String account, String conversation) {
        return new HistoryFile(path, key, rng, account, conversation);
    }

    /** Bytes of the header record (where record 1 starts). */
    long headerLength() {
        return headerLength;
    }

    /** The conversation label from the header. */
    String conversation() {
        return conversation;
    }

    /**
     * Whether the file on disk is still the one this object describes: not replaced by another
     * process's compaction and not shorter than what was read. Call under the {@link HistoryLock}.
     */
    boolean current() {
        try {
            return java.util.Objects.equals(fileKey, fileKeyOf(path)) && Files.size(path) >= validLength;
        } catch (IOException e) {
            return false;
        }
    }

    /** Takes in records another process appended since this object last looked (under the lock). */
    void extend() {
        var layout = scan(validLength, nextIndex, null);
        nextIndex = layout.nextIndex();
        validLength = layout.validLength();
    }

    /** What a scan found: the index of the next record and the length of the whole records before it. */
    record Layout(long nextIndex, long validLength) {
    }

    /** Receives where each record a scan passes starts: its index and its offset. */
    interface Visitor {
        void record(long index, long offset);
    }

    /**
     * Reads the length fields from {@code offset} (which is record {@code index}) to the end,
     * without decrypting, handing each record's index and offset to {@code visitor} (if any).
     * Stops at a torn tail or an impossible length. Records are read with {@link #cursor} and
     * {@link #readAt}.
     */
    Layout scan(long offset, long index, Visitor visitor) {
        return HistoryCursor.scan(path, offset, index, visitor);
    }

    /** A reader of the records from {@code offset} (record {@code index}) on. Close it when done. */
    HistoryCursor cursor(long offset, long index) {
        return new HistoryCursor(path, seal, offset, index);
    }

    /** Record {@code index} at {@code offset}, or empty if it is not there or fails its check. */
    Optional<HistoryRecord> readAt(FileChannel ch, long offset, long index) throws IOException {
        var length = ByteBuffer.allocate(LENGTH_FIELD);
        while (length.hasRemaining()) {
            if (ch.read(length, offset + length.position()) < 0) {
                return Optional.empty();
            }
        }
        int n = length.flip().getInt();
        if (!RecordSeal.plausible(n)) {
            return Optional.empty();
        }
        var body = ByteBuffer.allocate(n);
        while (body.hasRemaining()) {
            if (ch.read(body, offset + LENGTH_FIELD + body.position()) < 0) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(seal.openRecord(index, body.array()));
    }

    /** Reads and checks the header (record 0); sets {@link #validLength} to its end. */
    private Optional<String> readHeader(java.util.function.Function<String, String> nameOf) {
        try (var in = new DataInputStream(new BufferedInputStream(Files.newInputStream(path), 4096))) {
            int n = in.readInt();
            if (!RecordSeal.plausible(n)) {
                return Optional.empty();
            }
            byte[] body = in.readNBytes(n);
            if (body.length < n) {
                return Optional.empty();
            }
            String named = seal.conversationIn(seal.open(0, body));
            if (named == null || !path.getFileName().toString().equals(nameOf.apply(named))) {
                return Optional.empty();
            }
            validLength = LENGTH_FIELD + n;
            return Optional.of(named);
        } catch (EOFException | CryptoException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw ClientException.store("cannot read " + path + ": " + reason(e), e);
        }
    }

    /**
     * The identity of this version of the file, to notice a file replaced by a rewrite: its first
     * 16 bytes (the header's length and random nonce, new at every rewrite). An inode number would
     * not do: a rewrite can get the number its predecessor freed. Null if there is no such file.
     */
    static String fileKeyOf(Path path) {
        try (var ch = FileChannel.open(path, java.nio.file.StandardOpenOption.READ)) {
            var head = ByteBuffer.allocate(LENGTH_FIELD + Aead.NONCE_LENGTH);
            while (head.hasRemaining()) {
                if (ch.read(head) < 0) {
                    break;
                }
            }
            return java.util.HexFormat.of().formatHex(head.array(), 0, head.position());
        } catch (IOException e) {
            return null;
        }
    }

    private HistoryFile positioned(long index, long length) {
        nextIndex = index;
        validLength = length;
        return this;
    }

    /** A file that was read: the object to append to, and what it held. */
    record Opened(HistoryFile file, Contents contents) {
    }

    /** Starts a new, empty file (replacing whatever is at {@code path}). */
    static HistoryFile create(Path path, byte[] key, SecureRandom rng, String account, String conversation) {
        var file = new HistoryFile(path, key, rng, account, conversation);
        file.rewrite(List.of());
        return file;
    }

    /** Appends {@code records} and forces them to disk before returning. */
    void append(List<HistoryRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        var bytes = new ByteArrayOutputStream();
        long index = nextIndex;
        for (HistoryRecord r : records) {
            seal.write(bytes, index++, r.encode());
        }
        try {
            FileChannel ch = channel();
            if (ch.size() != validLength) {
                ch.truncate(validLength);
            }
            var buffer = ByteBuffer.wrap(bytes.toByteArray());
            long at = validLength;
            while (buffer.hasRemaining()) {
                at += ch.write(buffer, at);
            }
            ch.force(false);
            validLength = at;
            nextIndex = index;
        } catch (IOException e) {
            throw ClientException.store("cannot write " + path + ": " + reason(e), e);
        }
    }

    /**
     * Replaces the file with a header and {@code records} (compaction): written to a temporary
     * file, forced, renamed over the old one, so a crash leaves the old or the new file.
     */
    void rewrite(List<HistoryRecord> records) {
        close();
        Path temp = AtomicFiles.createPrivateTemp(path);
        long index = 0;
        long length = 0;
        long header;
        try (var ch = FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE);
             var out = new java.io.BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
            var one = new ByteArrayOutputStream();
            seal.write(one, index++, seal.header(conversation));
            header = one.size();
            for (HistoryRecord r : records) {
                one.writeTo(out);
                length += one.size();
                one.reset();
                seal.write(one, index++, r.encode());
            }
            one.writeTo(out);
            length += one.size();
            out.flush();
            ch.force(true);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw ClientException.store("cannot write " + temp + ": " + reason(e), e);
        } catch (RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
        AtomicFiles.rename(temp, path);
        nextIndex = index;
        validLength = length;
        headerLength = header;
        fileKey = fileKeyOf(path);
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                throw ClientException.store("cannot close " + path + ": " + reason(e), e);
            } finally {
                channel = null;
            }
        }
    }

    private FileChannel channel() {
        if (channel == null) {
            channel = AtomicFiles.openPrivateForAppend(path);
        }
        return channel;
    }

    /** Reads every record; empty if the header is missing, not this account's, or the name is not the conversation's. */
    private Optional<Contents> read(java.util.function.Function<String, String> nameOf) {
        Optional<String> named = readHeader(nameOf);
        if (named.isEmpty()) {
            return Optional.empty(); // another key or file, or not even a header: a file cut short while being created
        }
        headerLength = validLength;
        var records = new ArrayList<HistoryRecord>();
        String damage = null;
        Layout end;
        try (var cursor = cursor(headerLength, 1)) {
            while (cursor.next() && cursor.record() != null) {
                records.add(cursor.record());
            }
            end = cursor.layout();
            if (cursor.record() == null && cursor.recordIndex() > 0) {
                damage = "record " + cursor.recordIndex() + " failed its integrity check";
                end = new Layout(cursor.recordIndex(), cursor.recordOffset());
            }
        }
        if (damage == null) {
            damage = impossibleLengthAt(end.validLength());
        }
        nextIndex = end.nextIndex();
        validLength = end.validLength();
        return Optional.of(new Contents(named.get(), records, Optional.ofNullable(damage)));
    }

    /** Why the bytes at {@code offset} are not a record that was torn by a crash, or null if they may be. */
    private String impossibleLengthAt(long offset) {
        try (var ch = FileChannel.open(path, java.nio.file.StandardOpenOption.READ)) {
            var length = ByteBuffer.allocate(LENGTH_FIELD);
            while (length.hasRemaining()) {
                if (ch.read(length, offset + length.position()) < 0) {
                    return null; // fewer than 4 bytes of a torn length, or a clean end
                }
            }
            int n = length.flip().getInt();
            return RecordSeal.plausible(n) ? null : "a record of impossible length " + n;
        } catch (IOException e) {
            throw ClientException.store("cannot read " + path + ": " + reason(e), e);
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // the temporary file has a random name and mode 0600; it is harmless if left behind
            Log.get(HistoryFile.class.getName()).debug("history_temp_left", "path", temp);
        }
    }

    static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
