package crumbhub.client.chat;

import crumbhub.crypto.Aead;
import crumbhub.crypto.Bytes;
import crumbhub.crypto.CryptoException;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * How one history file's records are framed and sealed ({@link HistoryFile} draws the format): a
 * record is {@code u32 n, nonce[12], AES-256-GCM(key, nonce, ad(i), plaintext) || tag[16]}, with
 * {@code ad(i) = "CHHF" || u8 1 || file name || u64 i}; record 0 is the header naming the account
 * and the conversation. No I/O: it turns plaintexts into framed bytes and bodies back into
 * plaintexts, so reading ({@link HistoryCursor}, {@link HistoryFile}) and writing share one
 * definition.
 *
 * <p>Not thread-safe (one cipher for all the records it opens); owned as its {@link HistoryFile}.
 */
final class RecordSeal {
    static final byte[] MAGIC = {'C', 'H', 'H', 'F'};
    static final int VERSION = 1;
    static final int LENGTH_FIELD = 4;
    static final int OVERHEAD = Aead.NONCE_LENGTH + Aead.TAG_LENGTH;
    /** Largest record on disk: the largest {@link HistoryRecord} plus nonce and tag. */
    static final int MAX_RECORD = HistoryRecord.MAX_TEXT + 2 * HistoryRecord.MAX_NAME + 64 + OVERHEAD;

    private final byte[] key;
    private final SecureRandom rng;
    private final byte[] adPrefix;
    private final String account;
    /** Opens the records read (one cipher for all of them: see {@link Aead.Opener}); made on first use. */
    private Aead.Opener opener;

    /** {@code key} is kept (not copied) and must outlive this object. */
    RecordSeal(byte[] key, SecureRandom rng, String fileName, String account) {
        this.key = key;
        this.rng = rng;
        this.account = account;
        this.adPrefix = Bytes.concat(MAGIC, new byte[] {VERSION}, fileName.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code n} can be the length field of a record. */
    static boolean plausible(int n) {
        return n >= OVERHEAD && n <= MAX_RECORD;
    }

    /** Seals {@code plaintext} as record {@code index} and writes it, framed, to {@code out}; zeroes the plaintext. */
    void write(ByteArrayOutputStream out, long index, byte[] plaintext) {
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

    /** The plaintext of record {@code index} from its body (nonce, ciphertext, tag). */
    byte[] open(long index, byte[] body) throws CryptoException {
        if (opener == null) {
            opener = Aead.opener(key);
        }
        return opener.openSealed(body, ad(index));
    }

    /** Decrypts and decodes one record body; null if it fails its check or is malformed. */
    HistoryRecord openRecord(long index, byte[] body) {
        byte[] plaintext;
        try {
            plaintext = open(index, body);
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

    /** The plaintext of the header of {@code conversation}'s file. */
    byte[] header(String conversation) {
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

    /** The conversation a header names, or null if it is not a header of this account. */
    String conversationIn(byte[] plaintext) {
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

    private static void writeUtf8(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(b.length);
        out.write(b);
    }

    private byte[] ad(long index) {
        return Bytes.concat(adPrefix, ByteBuffer.allocate(8).putLong(index).array());
    }
}
