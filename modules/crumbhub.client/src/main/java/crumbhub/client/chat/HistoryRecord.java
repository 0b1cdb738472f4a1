package crumbhub.client.chat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of a conversation as the history keeps it (the plaintext of one record of a
 * {@link HistoryFile}). A record with the id of an earlier one replaces it: this is how a message
 * queued offline ({@code pending}) becomes sent, or not delivered.
 *
 * <pre>
 *   u8 version (2)  u8 kind  u8 flags (bit 0: pending)  u64 seq  u64 timeMs
 *   u16 n, id (UTF-8)  u16 n, from (UTF-8)  u32 n, text (UTF-8)
 *   u32 device  u64 receivedMs (0: not known)                     versions 2 and 3
 *   u16 n, ref (UTF-8)                                             version 3 only
 * </pre>
 *
 * Version 1 records (written before 0.x added {@code device} and {@code received}) still decode,
 * with device 0 and no receipt time. {@link #encode} writes version 2, or version 3 for a record
 * that refers to another message or is of a kind added with version 3 (reactions, edits,
 * tombstones: docs/client.md "Replies, reactions, edits and deletes"), so the files of people who
 * never use them stay readable by older clients.
 *
 * @param id       for messages, the sender's message id in hex; for notices a local random id
 * @param from     the sending user; empty for notices and markers
 * @param seq      the server's sequence number; 0 while pending and for local lines
 * @param time     the sender's time (from inside the encryption), or the local time for pending and local lines
 * @param device   the sending device id; 0 when not known (local lines, version 1 records)
 * @param received the server's receipt time, or null when not known
 * @param ref      the id (hex) of the message this one refers to: the message a TEXT replies to, a
 *                 REACTION or UNREACTION is about or an EDIT changes; for a DELETED tombstone the
 *                 id of the delete; empty for none
 */
public record HistoryRecord(Kind kind, String id, String from, long seq, Instant time, String text, boolean pending,
                            long device, Instant received, String ref) {
    static final int VERSION = 2;
    static final int VERSION_1 = 1;
    static final int VERSION_3 = 3;
    /** Bound of an id or a name in a record. */
    static final int MAX_NAME = 128;
    /** Bound of the text: a message body is at most 60,000 bytes, a notice far less. */
    static final int MAX_TEXT = 64 * 1024;

    /** What the line is. Codes are stored: never renumber. */
    public enum Kind {
        TEXT(0), ACTION(1), TOPIC(2), NOTICE(3), ERROR(4),
        /** The user left the room: the conversation is not reopened from history at start. */
        LEFT(5),
        /** A reaction (the text is the emoji) of {@code from} to message {@code ref}. */
        REACTION(6),
        /** A reaction of {@code from} to message {@code ref} taken back. */
        UNREACTION(7),
        /** A new version (the text) of message {@code ref}; its author's only: the earlier versions stay. */
        EDIT(8),
        /** What stands in place of a deleted message (same id, no text). */
        DELETED(9);

        final int code;

        Kind(int code) {
            this.code = code;
        }

        static Kind of(int code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown record kind " + code);
        }
    }

    /** A record without device and receipt time (as version 1 had). */
    public HistoryRecord(Kind kind, String id, String from, long seq, Instant time, String text, boolean pending) {
        this(kind, id, from, seq, time, text, pending, 0, null, "");
    }

    /** A record that refers to no other message. */
    public HistoryRecord(Kind kind, String id, String from, long seq, Instant time, String text, boolean pending,
                         long device, Instant received) {
        this(kind, id, from, seq, time, text, pending, device, received, "");
    }

    public HistoryRecord {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(ref, "ref");
    }

    /** The same line, no longer pending, with the server's seq and time. */
    public HistoryRecord sent(long serverSeq, Instant serverTime) {
        return new HistoryRecord(kind, id, from, serverSeq, serverTime, text, false, device, received, ref);
    }

    /** A message (text, action or topic) rather than a local line (notice, error, marker). */
    public boolean isMessage() {
        return kind == Kind.TEXT || kind == Kind.ACTION || kind == Kind.TOPIC;
    }

    /** Whether this record needs version 3: it refers to a message, or is of a kind added with it. */
    private boolean needsVersion3() {
        return !ref.isEmpty() || kind.code >= Kind.REACTION.code;
    }

    /** The plaintext of this record (version 2, or 3 when {@link #needsVersion3}). */
    public byte[] encode() {
        var bytes = new ByteArrayOutputStream(64 + text.length());
        try (var out = new DataOutputStream(bytes)) {
            out.writeByte(needsVersion3() ? VERSION_3 : VERSION);
            out.writeByte(kind.code);
            out.writeByte(pending ? 1 : 0);
            out.writeLong(seq);
            out.writeLong(time.toEpochMilli());
            writeString(out, id, MAX_NAME);
            writeString(out, from, MAX_NAME);
            byte[] t = text.getBytes(StandardCharsets.UTF_8);
            if (t.length > MAX_TEXT) {
                throw new IllegalArgumentException("history text over " + MAX_TEXT + " bytes");
            }
            out.writeInt(t.length);
            out.write(t);
            out.writeInt((int) device);
            out.writeLong(received == null ? 0 : received.toEpochMilli());
            if (needsVersion3()) {
                writeString(out, ref, MAX_NAME);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a record of version 1, 2 or 3.
     *
     * @throws IllegalArgumentException if the bytes are not such a record
     */
    public static HistoryRecord decode(byte[] plaintext) {
        try (var in = new DataInputStream(new ByteArrayInputStream(plaintext))) {
            int version = in.readUnsignedByte();
            if (version != VERSION && version != VERSION_1 && version != VERSION_3) {
                throw new IllegalArgumentException("record version " + version);
            }
            Kind kind = Kind.of(in.readUnsignedByte());
            int flags = in.readUnsignedByte();
            if ((flags & ~1) != 0) {
                throw new IllegalArgumentException("unknown record flags");
            }
            long seq = in.readLong();
            Instant time = Instant.ofEpochMilli(in.readLong());
            String id = readString(in, in.readUnsignedShort(), MAX_NAME);
            String from = readString(in, in.readUnsignedShort(), MAX_NAME);
            String text = readString(in, in.readInt(), MAX_TEXT);
            long device = 0;
            Instant received = null;
            String ref = "";
            if (version != VERSION_1) {
                device = Integer.toUnsignedLong(in.readInt());
                long receivedMs = in.readLong();
                received = receivedMs == 0 ? null : Instant.ofEpochMilli(receivedMs);
            }
            if (version == VERSION_3) {
                ref = readString(in, in.readUnsignedShort(), MAX_NAME);
            }
            if (in.available() != 0) {
                throw new IllegalArgumentException("trailing bytes in a record");
            }
            return new HistoryRecord(kind, id, from, seq, time, text, flags == 1, device, received, ref);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated record", e);
        }
    }

    private static void writeString(DataOutputStream out, String s, int max) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > max) {
            throw new IllegalArgumentException("history field over " + max + " bytes");
        }
        out.writeShort(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in, int length, int max) throws IOException {
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("field length " + length + " over " + max);
        }
        byte[] b = in.readNBytes(length);
        if (b.length != length) {
            throw new IllegalArgumentException("truncated field");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("invalid UTF-8 in a record", e);
        }
    }

    /** Bodies are private: never in logs. */
    @Override
    public String toString() {
        return "HistoryRecord[" + kind + " " + id + " from=" + from + " seq=" + seq + (pending ? " pending" : "")
                + " " + text.length() + " chars]";
    }
}
