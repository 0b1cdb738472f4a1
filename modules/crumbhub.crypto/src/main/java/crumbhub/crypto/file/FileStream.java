package crumbhub.crypto.file;

import crumbhub.crypto.Aead;
import crumbhub.crypto.Algorithms;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.Hkdf;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The sealed form of one file (docs/crypto.md "File attachments"), version 1:
 *
 * <pre>
 *   blob   = header, chunk_0, chunk_1, …, chunk_(n-1)
 *   header = u8 version (=1), 16 bytes salt                          (17 bytes)
 *   (chunkKey 32 bytes, prefix 7 bytes) = HKDF-SHA256(salt, fileKey, "CrumbHub file v1", 39)
 *   chunk_i = AES-256-GCM(chunkKey, nonce_i, ad = header, plain_i)   (|plain_i| + 16 bytes)
 *   nonce_i = prefix (7) | u32 i (big-endian) | u8 last (1 for i = n-1, else 0)
 * </pre>
 *
 * The plaintext is the file followed by zero bytes up to {@link #paddedLength}; it is cut into
 * {@link #CHUNK}-byte pieces, the last one shorter (empty only for an empty file), so every
 * length follows from the file's size. Because each nonce binds the chunk's position and whether
 * it ends the stream, a reordered, swapped, dropped or duplicated chunk and a truncation at any
 * chunk boundary fail to open; a chunk from another file fails under that file's chunk key.
 *
 * <p>Sealing is deterministic given the key, the salt and the plaintext, which a resumed upload
 * relies on to seal chunk {@code i} again; the caller must never seal different plaintext under
 * the same (key, salt). Instances are immutable apart from a Cipher each call creates: thread-safe.
 * {@link #toString} never shows a key.
 */
public final class FileStream {
    public static final int VERSION = 1;
    /** Plaintext bytes per chunk: large enough that the 16-byte tag costs 0.02 %, small enough to buffer. */
    public static final int CHUNK = 64 * 1024;
    public static final int TAG = Aead.TAG_LENGTH;
    public static final int SALT = 16;
    public static final int HEADER = 1 + SALT;
    public static final int KEY = Aead.KEY_LENGTH;
    /** The most chunks one file holds: the counter is 32 bits (256 TiB). */
    public static final long MAX_CHUNKS = 0xFFFF_FFFFL;
    private static final int PREFIX = 7;
    private static final byte[] INFO = "CrumbHub file v1".getBytes(StandardCharsets.US_ASCII);

    private final byte[] header;
    private final SecretKeySpec chunkKey;
    private final byte[] prefix;

    private FileStream(byte[] fileKey, byte[] header) {
        if (fileKey.length != KEY) {
            throw new IllegalArgumentException("a file key is " + KEY + " bytes");
        }
        this.header = header.clone();
        byte[] okm = Hkdf.derive(Arrays.copyOfRange(header, 1, HEADER), fileKey, INFO, KEY + PREFIX);
        this.chunkKey = new SecretKeySpec(okm, 0, KEY, Algorithms.AES);
        this.prefix = Arrays.copyOfRange(okm, KEY, KEY + PREFIX);
        Arrays.fill(okm, (byte) 0);
    }

    /** A new random file key. */
    public static byte[] newKey(SecureRandom random) {
        var key = new byte[KEY];
        random.nextBytes(key);
        return key;
    }

    /** A stream for sealing a new file under {@code fileKey} with a fresh random salt. */
    public static FileStream create(byte[] fileKey, SecureRandom random) {
        var header = new byte[HEADER];
        header[0] = VERSION;
        var salt = new byte[SALT];
        random.nextBytes(salt);
        System.arraycopy(salt, 0, header, 1, SALT);
        return new FileStream(fileKey, header);
    }

    /**
     * The stream of a sealed file whose first {@link #HEADER} bytes are {@code header}.
     *
     * @throws CryptoException if the header is too short or names another version
     */
    public static FileStream of(byte[] fileKey, byte[] header) throws CryptoException {
        if (header.length != HEADER || header[0] != VERSION) {
            throw new CryptoException("file header: unknown version or length");
        }
        return new FileStream(fileKey, header);
    }

    /** The header that leads the sealed file (a copy). */
    public byte[] header() {
        return header.clone();
    }

    /**
     * The padded length of a file of {@code size} bytes: Padmé (Nikitin et al., "Reducing
     * metadata leakage from encrypted files and communication with PURBs", 2019), which keeps
     * the padding under 12 % and leaks O(log log size) bits of the size.
     */
    public static long paddedLength(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size");
        }
        if (size < 2) {
            return size;
        }
        int e = 63 - Long.numberOfLeadingZeros(size);
        int s = 32 - Integer.numberOfLeadingZeros(e);
        long mask = (1L << (e - s)) - 1;
        return (size + mask) & ~mask;
    }

    /** Chunks of a file of {@code size} bytes (at least one). */
    public static long chunks(long size) {
        long padded = paddedLength(size);
        return Math.max(1, (padded + CHUNK - 1) / CHUNK);
    }

    /** Bytes of the sealed file of {@code size} plaintext bytes: header, padded plaintext, tags. */
    public static long sealedLength(long size) {
        return HEADER + paddedLength(size) + chunks(size) * TAG;
    }

    /** Plaintext bytes of chunk {@code index} of a file of {@code size} bytes (padding included). */
    public static int plainLength(long size, long index) {
        long padded = paddedLength(size);
        long n = chunks(size);
        if (index < 0 || index >= n) {
            throw new IllegalArgumentException("no chunk " + index);
        }
        return index < n - 1 ? CHUNK : (int) (padded - (n - 1) * CHUNK);
    }

    /** Offset in the sealed file where chunk {@code index} starts. */
    public static long sealedOffset(long index) {
        return HEADER + index * (long) (CHUNK + TAG);
    }

    /**
     * Seals {@code length} plaintext bytes of {@code plain} from {@code offset} as chunk {@code index}
     * into {@code out} at {@code outOffset} ({@code length + TAG} bytes). Returns the bytes written.
     */
    public int seal(long index, boolean last, byte[] plain, int offset, int length, byte[] out, int outOffset) {
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, index, last);
            return c.doFinal(plain, offset, length, out, outOffset);
        } catch (ShortBufferException e) {
            throw new IllegalArgumentException("output buffer too small for a sealed chunk", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * Opens chunk {@code index} ({@code length} sealed bytes of {@code sealed} from {@code offset})
     * into {@code out} at {@code outOffset}; returns the plaintext bytes written. Nothing of an
     * unauthenticated chunk is released: the JDK's GCM verifies before it writes any output.
     *
     * @throws CryptoException if the chunk does not authenticate at this position with this
     *     {@code last} flag under this file's key and header
     */
    public int open(long index, boolean last, byte[] sealed, int offset, int length, byte[] out, int outOffset)
            throws CryptoException {
        if (length < TAG) {
            throw new CryptoException("file chunk " + index + " is shorter than its tag");
        }
        try {
            Cipher c = cipher(Cipher.DECRYPT_MODE, index, last);
            return c.doFinal(sealed, offset, length, out, outOffset);
        } catch (AEADBadTagException e) {
            throw new CryptoException("file chunk " + index + " failed its check");
        } catch (ShortBufferException e) {
            throw new IllegalArgumentException("output buffer too small for an opened chunk", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    private Cipher cipher(int mode, long index, boolean last) throws GeneralSecurityException {
        if (index < 0 || index > MAX_CHUNKS) {
            throw new IllegalArgumentException("chunk index out of range: " + index);
        }
        var nonce = new byte[Aead.NONCE_LENGTH];
        System.arraycopy(prefix, 0, nonce, 0, PREFIX);
        nonce[7] = (byte) (index >>> 24);
        nonce[8] = (byte) (index >>> 16);
        nonce[9] = (byte) (index >>> 8);
        nonce[10] = (byte) index;
        nonce[11] = (byte) (last ? 1 : 0);
        var c = Cipher.getInstance(Algorithms.AES_GCM);
        c.init(mode, chunkKey, new GCMParameterSpec(TAG * 8, nonce));
        c.updateAAD(header);
        return c;
    }

    @Override
    public String toString() {
        return "FileStream[version=" + VERSION + ", key=<redacted>]";
    }
}
