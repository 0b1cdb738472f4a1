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
 *   u32 device  u64 receivedMs (0: not known)                     version 2 only
 * </pre>
 *
 * Version 1 records (written before 0.x added {@code device} and {@code received}) still decode,
 * with device 0 and no receipt time; {@link #encode} always writes version 2.
 *
 * @param id       for messages, the sender's message id in hex; for notices a local random id
 * @param from     the sending user; empty for notices and markers
 * @param seq      the server's sequence number; 0 while pending and for local lines
 * @param time     the sender's time (from inside the encryption), or the local time for pending and local lines
 * @param device   the sending device id; 0 when not known (local lines, version 1 records)
 * @param received the server's receipt time, or null when not known
 */
public record HistoryRecord(Kind kind, String id, String from, long seq, Instant time, String text, boolean pending,
                            long device, Instant received) {
    static final int VERSION = 2;
    static final int VERSION_1 = 1;
    /** Bound of an id or a name in a record. */
    static final int MAX_NAME = 128;
    /** Bound of the text: a message body is at most 60,000 bytes, a notice far less. */
    static final int MAX_TEXT = 64 * 1024;

    /** What the line is. Codes are stored: never renumber. */
    public enum Kind {
        TEXT(0), ACTION(1), TOPIC(2), NOTICE(3), ERROR(4),
        /** The user left the room: the conversation is not reopened from history at start. */
        LEFT(5);

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
        this(kind, id, from, seq, time, text, pending, 0, null);
    }

    public HistoryRecord {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(text, "text");
    }

    /** The same line, no longer pending, with the server's seq and time. */
    public HistoryRecord sent(long serverSeq, Instant serverTime) {
        return new HistoryRecord(kind, id, from, serverSeq, serverTime, text, false, device, received);
    }

    /** A message (text, action or topic) rather than a local line (notice, error, marker). */
    public boolean isMessage() {
        return kind == Kind.TEXT || kind == Kind.ACTION || kind == Kind.TOPIC;
    }

    /** The plaintext of this record (version 2). */
    public byte[] encode() {
        var bytes = new ByteArrayOutputStream(64 + text.length());
        try (var out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
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
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a record of version 1 or 2.
     *
     * @throws IllegalArgumentException if the bytes are not such a record
     */
    public static HistoryRecord decode(byte[] plaintext) {
        try (var in = new DataInputStream(new ByteArrayInputStream(plaintext))) {
            int version = in.readUnsignedByte();
            if (version != VERSION && version != VERSION_1) {
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
            if (version == VERSION) {
                device = Integer.toUnsignedLong(in.readInt());
                long receivedMs = in.readLong();
                received = receivedMs == 0 ? null : Instant.ofEpochMilli(receivedMs);
            }
            if (in.available() != 0) {
                throw new IllegalArgumentException("trailing bytes in a record");
            }
            return new HistoryRecord(kind, id, from, seq, time, text, flags == 1, device, received);
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
