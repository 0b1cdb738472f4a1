package crumbhub.client.chat;

import crumbhub.client.ClientException;
import crumbhub.client.home.AtomicFiles;
import crumbhub.crypto.Aead;
import crumbhub.crypto.Bytes;
import crumbhub.crypto.CryptoException;
import crumbhub.wire.log.Log;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
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
 * are ever written under one key.
 *
 * <p>Not thread-safe: owned by the session thread. Blocking file I/O.
 */
final class HistoryFile implements AutoCloseable {
    static final byte[] MAGIC = {'C', 'H', 'H', 'F'};
    static final int VERSION = 1;
    private static final int LENGTH_FIELD = 4;
    private static final int OVERHEAD = Aead.NONCE_LENGTH + Aead.TAG_LENGTH;
    /** Largest record on disk: the largest {@link HistoryRecord} plus nonce and tag. */
    static final int MAX_RECORD = HistoryRecord.MAX_TEXT + 2 * HistoryRecord.MAX_NAME + 64 + OVERHEAD;

    /** What reading a file found. */
    record Contents(String conversation, List<HistoryRecord> records, Optional<String> damage) {
    }

    private final Path path;
    private final byte[] key;
    private final SecureRandom rng;
    private final byte[] adPrefix;
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
        this.adPrefix = Bytes.concat(MAGIC, new byte[] {VERSION},
                path.getFileName().toString().getBytes(StandardCharsets.UTF_8));
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
        try (var ch = FileChannel.open(path, java.nio.file.StandardOpenOption.READ);
             var in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(ch.position(offset)),
                     1 << 16))) {
            long size = ch.size();
            while (offset + LENGTH_FIELD <= size) {
                int n = in.readInt();
                if (n < OVERHEAD || n > MAX_RECORD || offset + LENGTH_FIELD + n > size) {
                    break;
                }
                in.skipNBytes(n);
                if (visitor != null) {
                    visitor.record(index, offset);
                }
                offset += LENGTH_FIELD + n;
                index++;
            }
        } catch (IOException e) {
            throw ClientException.store("cannot read " + path + ": " + reason(e), e);
        }
        return new Layout(index, offset);
    }

    /**
     * A reader of the records from {@code offset} (record {@code index}) on, one at a time, so that
     * several files can be read side by side (the index merges them by time). Close it when done.
     */
    Cursor cursor(long offset, long index) {
        try {
            return new Cursor(FileChannel.open(path, java.nio.file.StandardOpenOption.READ), offset, index);
        } catch (IOException e) {
            throw ClientException.store("cannot read " + path + ": " + reason(e), e);
        }
    }

    /** See {@link #cursor}. Not thread-safe. */
    final class Cursor implements AutoCloseable {
        private final FileChannel channel;
        private final DataInputStream in;
        private final long size;
        private long offset;
        private long index;
        private HistoryRecord record;
        private long recordIndex;
        private long recordOffset;

        private Cursor(FileChannel channel, long offset, long index) throws IOException {
            this.channel = channel;
            this.size = channel.size();
            this.in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel.position(offset)),
                    1 << 16));
            this.offset = offset;
            this.index = index;
        }

        /** Moves to the next record; false at the end or at a torn tail. */
        boolean next() {
            try {
                if (offset + LENGTH_FIELD > size) {
                    return false;
                }
                int n = in.readInt();
                if (n < OVERHEAD || n > MAX_RECORD || offset + LENGTH_FIELD + n > size) {
                    return false;
                }
                byte[] body = in.readNBytes(n);
                recordIndex = index;
                recordOffset = offset;
                record = openRecord(index, body);
                offset += LENGTH_FIELD + n;
                index++;
                return true;
            } catch (IOException e) {
                throw ClientException.store("cannot read " + path + ": " + reason(e), e);
            }
        }

        /** The current record, or null if it failed its check. */
        HistoryRecord record() {
            return record;
        }

        long recordIndex() {
            return recordIndex;
        }

        long recordOffset() {
            return recordOffset;
        }

        /** Where the next record would start: after the last whole record read. */
        Layout layout() {
            return new Layout(index, offset);
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                throw ClientException.store("cannot close " + path + ": " + reason(e), e);
            }
        }
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
        if (n < OVERHEAD || n > MAX_RECORD) {
            return Optional.empty();
        }
        var body = ByteBuffer.allocate(n);
        while (body.hasRemaining()) {
            if (ch.read(body, offset + LENGTH_FIELD + body.position()) < 0) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(openRecord(index, body.array()));
    }

    /** Decrypts and decodes one record body (nonce, ciphertext, tag); null if it fails its check. */
    private HistoryRecord openRecord(long index, byte[] body) {
        byte[] plaintext;
        try {
            plaintext = Aead.open(key, java.util.Arrays.copyOf(body, Aead.NONCE_LENGTH), ad(index),
                    java.util.Arrays.copyOfRange(body, Aead.NONCE_LENGTH, body.length));
        } catch (CryptoException e) {
            return null;
        }
        try {
            return HistoryRecord.decode(plaintext);
        } catch (IllegalArgumentException e) {
            return null;
        } finally {
            Bytes.zero(plaintext);
        }
    }

    /** Reads and checks the header (record 0); sets {@link #validLength} to its end. */
    private Optional<String> readHeader(java.util.function.Function<String, String> nameOf) {
        try (var in = new DataInputStream(new BufferedInputStream(Files.newInputStream(path), 4096))) {
            int n = in.readInt();
            if (n < OVERHEAD || n > MAX_RECORD) {
                return Optional.empty();
            }
            byte[] body = in.readNBytes(n);
            if (body.length < n) {
                return Optional.empty();
            }
            byte[] plaintext = Aead.open(key, java.util.Arrays.copyOf(body, Aead.NONCE_LENGTH), ad(0),
                    java.util.Arrays.copyOfRange(body, Aead.NONCE_LENGTH, n));
            String named = conversationIn(plaintext);
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
            writeRecord(bytes, index++, r.encode());
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
            writeRecord(one, index++, header());
            header = one.size();
            for (HistoryRecord r : records) {
                one.writeTo(out);
                length += one.size();
                one.reset();
                writeRecord(one, index++, r.encode());
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

    private byte[] header() {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeByte(VERSION);
            writeUtf8(out, account);
            writeUtf8(out, conversation);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeUtf8(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(b.length);
        out.write(b);
    }

    private void writeRecord(ByteArrayOutputStream out, long index, byte[] plaintext) {
        var nonce = new byte[Aead.NONCE_LENGTH];
        rng.nextBytes(nonce);
        byte[] sealed = Aead.seal(key, nonce, ad(index), plaintext);
        Bytes.zero(plaintext);
        int n = nonce.length + sealed.length;
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
        out.writeBytes(nonce);
        out.writeBytes(sealed);
    }

    private byte[] ad(long index) {
        return Bytes.concat(adPrefix, ByteBuffer.allocate(8).putLong(index).array());
    }

    /** Reads every record; empty if the header is missing, not this account's, or the name is not the conversation's. */
    private Optional<Contents> read(java.util.function.Function<String, String> nameOf) {
        String named = null;
        var records = new ArrayList<HistoryRecord>();
        String damage = null;
        long offset = 0;
        long index = 0;
        try (InputStream raw = Files.newInputStream(path);
             var in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            for (;; index++) {
                int n;
                try {
                    n = in.readInt();
                } catch (EOFException end) {
                    break; // a clean end, or fewer than 4 bytes of a torn length
                }
                if (n < OVERHEAD || n > MAX_RECORD) {
                    damage = "a record of impossible length " + n;
                    break;
                }
                byte[] body = in.readNBytes(n);
                if (body.length < n) {
                    break; // torn by a crash while appending
                }
                byte[] plaintext;
                try {
                    plaintext = Aead.open(key, java.util.Arrays.copyOf(body, Aead.NONCE_LENGTH), ad(index),
                            java.util.Arrays.copyOfRange(body, Aead.NONCE_LENGTH, n));
                } catch (CryptoException e) {
                    if (index == 0) {
                        return Optional.empty(); // another key or another file: not ours
                    }
                    damage = "record " + index + " failed its integrity check";
                    break;
                }
                if (index == 0) {
                    named = conversationIn(plaintext);
                    if (named == null || !path.getFileName().toString().equals(nameOf.apply(named))) {
                        return Optional.empty();
                    }
                    headerLength = LENGTH_FIELD + n;
                } else {
                    try {
                        records.add(HistoryRecord.decode(plaintext));
                    } catch (IllegalArgumentException e) {
                        damage = "record " + index + " is malformed (" + e.getMessage() + ")";
                        break;
                    } finally {
                        Bytes.zero(plaintext);
                    }
                }
                offset += LENGTH_FIELD + n;
            }
        } catch (IOException e) {
            throw ClientException.store("cannot read " + path + ": " + reason(e), e);
        }
        if (index == 0) {
            return Optional.empty(); // not even a header: a file cut short while being created
        }
        nextIndex = index;
        validLength = offset;
        return Optional.of(new Contents(named, records, Optional.ofNullable(damage)));
    }

    /** The conversation a header names, or null if it is not a header of this account. */
    private String conversationIn(byte[] plaintext) {
        try (var in = new DataInputStream(new java.io.ByteArrayInputStream(plaintext))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!java.util.Arrays.equals(magic, MAGIC) || in.readUnsignedByte() != VERSION) {
                return null;
            }
            String a = new String(in.readNBytes(in.readUnsignedShort()), StandardCharsets.UTF_8);
            String c = new String(in.readNBytes(in.readUnsignedShort()), StandardCharsets.UTF_8);
            return in.available() == 0 && a.equals(account) ? c : null;
        } catch (IOException e) {
            return null;
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
