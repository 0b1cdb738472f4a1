package crumbhub.client.backup;

import crumbhub.client.chat.HistoryRecord;
import crumbhub.client.e2e.BackupRoot;
import crumbhub.client.model.ConversationId;
import crumbhub.crypto.Aead;
import crumbhub.crypto.Bytes;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.Hkdf;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One batch of the history backup and its sealing (docs/crypto.md "History backup"). Pure: no
 * I/O, randomness from the caller.
 *
 * <pre>
 *   ad        = "CrumbHub history backup batch v1" ‖ str8 user ‖ accountId[32] ‖ u32 deviceId ‖ u64 stream ‖ u64 index
 *   batchKey  = HKDF-SHA256(salt = none, ikm = root, info = ad, 32)
 *   blob      = u8 1 ‖ nonce[12] ‖ AES-256-GCM(batchKey, nonce, ad, padded)
 *   padded    = u32 n ‖ content[n] ‖ zeros, to the smallest of BUCKETS that holds it
 *   content   = u16 count ‖ count × (str8 conversation ‖ str8 kind ‖ u8 pending ‖ u64 seq ‖ u64 timeMs
 *               ‖ str8 id ‖ str8 from ‖ bytes32 text)
 * </pre>
 *
 * The associated data names the account, its identity, the writing device, the stream and the
 * batch's place in it, so a batch opens only where it was written: a server that moves it to
 * another index, stream, device or account makes it fail to open.
 */
public final class BackupBatch {
    /** Padding buckets of the sealed plaintext: a batch shows the server only which of these it is. */
    static final int[] BUCKETS = {4_096, 16_384, 57_344};
    /** Most content bytes one batch holds (the largest bucket less its length prefix). */
    public static final int MAX_CONTENT = 57_344 - 4;
    static final int VERSION = 1;
    private static final byte[] LABEL = "CrumbHub history backup batch v1".getBytes(StandardCharsets.US_ASCII);
    /** The fixed part of one entry, besides its strings. */
    private static final int ENTRY_OVERHEAD = 1 + 1 + 8 + 1 + 8 + 8 + 1 + 1 + 4;

    private BackupBatch() {}

    /** One line of one conversation, as a batch carries it. */
    public record Entry(ConversationId conversation, HistoryRecord record) {
        /** Bytes this entry adds to a batch's content. */
        int size() {
            return ENTRY_OVERHEAD + utf8(conversation.label()).length + record.kind().name().length()
                    + utf8(record.id()).length
                    + utf8(record.from()).length + utf8(record.text()).length;
        }
    }

    /** Whether {@code entry} alone fits one batch. */
    static boolean fits(Entry entry) {
        return 2 + entry.size() <= MAX_CONTENT && utf8(entry.record().id()).length <= 255
                && utf8(entry.record().from()).length <= 255;
    }

    /** Bytes of the content of {@code entries}. */
    static int contentSize(List<Entry> entries) {
        int n = 2;
        for (Entry e : entries) {
            n += e.size();
        }
        return n;
    }

    /** The plaintext of a batch (content only, before padding). */
    static byte[] encode(List<Entry> entries) {
        var out = BinaryWriter.growable(contentSize(entries));
        out.u16(entries.size());
        for (Entry e : entries) {
            HistoryRecord r = e.record();
            out.str8(e.conversation().label()).str8(r.kind().name()).flag(r.pending()).u64(r.seq())
                    .u64(r.time().toEpochMilli()).str8(r.id()).str8(r.from()).bytes32(utf8(r.text()));
        }
        return out.toByteArray();
    }

    static List<Entry> decode(byte[] content) throws CryptoException {
        var in = BinaryReader.of(content, "history batch", CryptoException::malformed);
        int n = in.u16();
        var out = new ArrayList<Entry>(n);
        for (int i = 0; i < n; i++) {
            String label = in.str8();
            HistoryRecord.Kind kind;
            try {
                kind = HistoryRecord.Kind.valueOf(in.str8());
            } catch (IllegalArgumentException e) {
                throw new CryptoException("history batch: unknown record kind");
            }
            boolean pending = in.flag();
            long seq = in.u64();
            long time = in.u64();
            String id = in.str8();
            String from = in.str8();
            String text = new String(in.bytes32(MAX_CONTENT), StandardCharsets.UTF_8);
            var conversation = ConversationId.parse(label)
                    .orElseThrow(() -> new CryptoException("history batch: not a conversation"));
            out.add(new Entry(conversation, new HistoryRecord(kind, id, from, seq, Instant.ofEpochMilli(time),
                    text, pending)));
        }
        in.end();
        return out;
    }

    /** Where a batch belongs: the associated data of its sealing. */
    public record Place(int deviceId, long stream, long index) {}

    /** Seals {@code entries} as batch {@code place} under {@code root}. */
    public static byte[] seal(BackupRoot root, Place place, List<Entry> entries, SecureRandom rng) {
        byte[] content = encode(entries);
        int bucket = bucket(content.length + 4);
        byte[] padded = BinaryWriter.growable(bucket).u32(content.length).fixed(content, content.length)
                .fixed(new byte[bucket - 4 - content.length], bucket - 4 - content.length).toByteArray();
        byte[] ad = ad(root, place);
        byte[] key = Hkdf.derive(null, root.key(), ad, Aead.KEY_LENGTH);
        byte[] nonce = new byte[Aead.NONCE_LENGTH];
        rng.nextBytes(nonce);
        try {
            byte[] sealed = Aead.seal(key, nonce, ad, padded);
            return BinaryWriter.growable(1 + nonce.length + sealed.length).u8(VERSION).fixed(nonce, nonce.length)
                    .fixed(sealed, sealed.length).toByteArray();
        } finally {
            Bytes.zero(key, padded, content);
        }
    }

    /**
     * Opens the blob the server returned as batch {@code place}.
     *
     * @throws CryptoException if it was not sealed under {@code root} as exactly that batch (moved,
     *     replayed at another index, from another account or stream, altered), or is malformed
     */
    public static List<Entry> open(BackupRoot root, Place place, byte[] blob) throws CryptoException {
        if (blob.length < 1 + Aead.NONCE_LENGTH + Aead.TAG_LENGTH || blob[0] != VERSION) {
            throw new CryptoException("history batch: unknown version or too short");
        }
        byte[] nonce = java.util.Arrays.copyOfRange(blob, 1, 1 + Aead.NONCE_LENGTH);
        byte[] sealed = java.util.Arrays.copyOfRange(blob, 1 + Aead.NONCE_LENGTH, blob.length);
        byte[] ad = ad(root, place);
        byte[] key = Hkdf.derive(null, root.key(), ad, Aead.KEY_LENGTH);
        byte[] padded;
        try {
            padded = Aead.open(key, nonce, ad, sealed);
        } finally {
            Bytes.zero(key);
        }
        try {
            var in = BinaryReader.of(padded, "history batch", CryptoException::malformed);
            int n = in.u32();
            if (n < 0 || n > padded.length - 4) {
                throw new CryptoException("history batch: bad length");
            }
            byte[] content = in.fixed(n);
            for (byte b : in.rest()) {
                if (b != 0) {
                    throw new CryptoException("history batch: padding is not zero");
                }
            }
            return decode(content);
        } finally {
            Bytes.zero(padded);
        }
    }

    static int bucket(int length) {
        for (int b : BUCKETS) {
            if (length <= b) {
                return b;
            }
        }
        throw new IllegalArgumentException("a history batch of " + length + " bytes is over the largest bucket");
    }

    private static byte[] ad(BackupRoot root, Place place) {
        return BinaryWriter.growable(128).fixed(LABEL, LABEL.length).str8(root.user())
                .fixed(root.accountId(), root.accountId().length).u32(place.deviceId()).u64(place.stream())
                .u64(place.index()).toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
