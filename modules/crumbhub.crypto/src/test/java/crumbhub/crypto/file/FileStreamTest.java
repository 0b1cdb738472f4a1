package crumbhub.crypto.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.crypto.CryptoException;
import crumbhub.crypto.FixedRandom;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The file stream construction (docs/crypto.md "File attachments"): vectors derived once with
 * this implementation and committed (so a change to the construction shows), and every way a
 * server could cut, reorder or splice a sealed file.
 */
class FileStreamTest {
    private static final HexFormat HEX = HexFormat.of();

    static byte[] key() {
        var k = new byte[32];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) i;
        }
        return k;
    }

    static byte[] header() {
        var h = new byte[FileStream.HEADER];
        h[0] = 1;
        for (int i = 0; i < FileStream.SALT; i++) {
            h[1 + i] = (byte) (0x80 + i);
        }
        return h;
    }

    static byte[] plaintext(int size) {
        var p = new byte[size];
        for (int i = 0; i < size; i++) {
            p[i] = (byte) (i * 7);
        }
        return p;
    }

    /** The whole sealed file, chunk by chunk, as a client streams it. */
    static byte[] sealAll(FileStream fs, byte[] file) {
        long size = file.length;
        var padded = Arrays.copyOf(file, (int) FileStream.paddedLength(size));
        var out = new ByteArrayOutputStream();
        out.writeBytes(fs.header());
        long n = FileStream.chunks(size);
        var buf = new byte[FileStream.CHUNK + FileStream.TAG];
        for (long i = 0; i < n; i++) {
            int len = FileStream.plainLength(size, i);
            int w = fs.seal(i, i == n - 1, padded, (int) (i * FileStream.CHUNK), len, buf, 0);
            out.write(buf, 0, w);
        }
        return out.toByteArray();
    }

    /** Opens a sealed file whose plaintext size the end-to-end message says is {@code size}. */
    static byte[] openAll(byte[] key, byte[] blob, long size) throws CryptoException {
        if (blob.length != FileStream.sealedLength(size)) {
            throw new CryptoException("sealed length does not match the size");
        }
        var fs = FileStream.of(key, Arrays.copyOf(blob, FileStream.HEADER));
        long n = FileStream.chunks(size);
        var out = new byte[(int) FileStream.paddedLength(size)];
        for (long i = 0; i < n; i++) {
            int len = FileStream.plainLength(size, i) + FileStream.TAG;
            fs.open(i, i == n - 1, blob, (int) FileStream.sealedOffset(i), len, out, (int) (i * FileStream.CHUNK));
        }
        return Arrays.copyOf(out, (int) size);
    }

    private static List<Chunk> split(byte[] blob) {
        var chunks = new ArrayList<Chunk>();
        for (int off = FileStream.HEADER; off < blob.length; off += FileStream.CHUNK + FileStream.TAG) {
            chunks.add(new Chunk(Arrays.copyOfRange(blob, off, Math.min(blob.length, off + FileStream.CHUNK + FileStream.TAG))));
        }
        return chunks;
    }

    private record Chunk(byte[] bytes) {}

    /** Opens chunks as a receiver does, without knowing the size: each at its position, last = the final one. */
    private static void openChunks(FileStream fs, List<Chunk> chunks) throws CryptoException {
        var out = new byte[FileStream.CHUNK];
        for (int i = 0; i < chunks.size(); i++) {
            byte[] c = chunks.get(i).bytes();
            fs.open(i, i == chunks.size() - 1, c, 0, c.length, out, 0);
        }
    }

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    @Test
    void sealsTheCommittedVectors() throws Exception {
        int checked = 0;
        try (InputStream in = FileStreamTest.class.getResourceAsStream("/file/file-stream-v1.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.trim().split(" ");
                int size = Integer.parseInt(f[0]);
                byte[] sealed = sealAll(FileStream.of(key(), header()), plaintext(size));
                switch (f[1]) {
                    case "sealed" -> assertThat(HEX.formatHex(sealed)).as("size " + size).isEqualTo(f[2]);
                    case "sha256" -> assertThat(HEX.formatHex(sha256(sealed))).as("size " + size).isEqualTo(f[2]);
                    default -> throw new IOException("unknown vector kind " + f[1]);
                }
                assertThat(sealed).hasSize((int) FileStream.sealedLength(size));
                assertThat(openAll(key(), sealed, size)).isEqualTo(plaintext(size));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(5);
    }

    @Test
    void eachChunkIsPlainAesGcmUnderTheDerivedKeyAndPositionNonce() throws Exception {
        byte[] okm = crumbhub.crypto.Hkdf.derive(Arrays.copyOfRange(header(), 1, FileStream.HEADER), key(),
                "CrumbHub file v1".getBytes(StandardCharsets.US_ASCII), 39);
        int size = FileStream.CHUNK + 100;
        byte[] blob = sealAll(FileStream.of(key(), header()), plaintext(size));
        byte[] padded = Arrays.copyOf(plaintext(size), (int) FileStream.paddedLength(size));
        for (int i = 0; i < 2; i++) {
            var nonce = new byte[12];
            System.arraycopy(okm, 32, nonce, 0, 7);
            nonce[10] = (byte) i;
            nonce[11] = (byte) (i == 1 ? 1 : 0);
            byte[] plain = Arrays.copyOfRange(padded, i * FileStream.CHUNK, i == 0 ? FileStream.CHUNK : padded.length);
            byte[] expected = crumbhub.crypto.Aead.seal(Arrays.copyOf(okm, 32), nonce, header(), plain);
            int from = (int) FileStream.sealedOffset(i);
            assertThat(Arrays.copyOfRange(blob, from, from + expected.length)).as("chunk " + i).isEqualTo(expected);
        }
    }

    @Test
    void paddingFollowsPadmeAndLengthsAddUp() {
        assertThat(FileStream.paddedLength(0)).isZero();
        assertThat(FileStream.paddedLength(1)).isEqualTo(1);
        assertThat(FileStream.paddedLength(100)).isEqualTo(104);
        assertThat(FileStream.paddedLength(1_000_000)).isEqualTo(1_015_808);
        for (long size : new long[] {0, 1, 9, 65_535, 65_536, 65_537, 8 << 20, (1L << 30) + 1, 5L << 40}) {
            long p = FileStream.paddedLength(size);
            assertThat(p).isGreaterThanOrEqualTo(size).isLessThanOrEqualTo(size + Math.max(1, size / 8));
            long n = FileStream.chunks(size);
            long sum = 0;
            for (long i : new long[] {0, n - 1}) {
                assertThat(FileStream.plainLength(size, i)).isBetween(size == 0 ? 0 : 1, FileStream.CHUNK);
            }
            sum = (n - 1) * FileStream.CHUNK + FileStream.plainLength(size, n - 1);
            assertThat(sum).isEqualTo(p);
            assertThat(FileStream.sealedLength(size)).isEqualTo(FileStream.HEADER + p + n * FileStream.TAG);
        }
    }

    @Test
    void aNewStreamRoundTripsAndUsesAFreshSaltEachTime() throws Exception {
        var random = new FixedRandom(7);
        byte[] key = FileStream.newKey(random);
        var file = plaintext(200_000);
        byte[] a = sealAll(FileStream.create(key, random), file);
        byte[] b = sealAll(FileStream.create(key, random), file);
        assertThat(openAll(key, a, file.length)).isEqualTo(file);
        assertThat(Arrays.copyOf(a, FileStream.HEADER)).isNotEqualTo(Arrays.copyOf(b, FileStream.HEADER));
        assertThat(Arrays.copyOfRange(a, 100, 200)).isNotEqualTo(Arrays.copyOfRange(b, 100, 200));
    }

    @Test
    void droppingTheLastChunkIsDetected() throws Exception {
        var fs = FileStream.of(key(), header());
        var chunks = split(sealAll(fs, plaintext(3 * FileStream.CHUNK)));
        openChunks(fs, chunks);
        assertThatThrownBy(() -> openChunks(fs, chunks.subList(0, chunks.size() - 1)))
                .isInstanceOf(CryptoException.class).hasMessageContaining("chunk 1");
    }

    @Test
    void truncationInsideAChunkIsDetected() throws Exception {
        byte[] blob = sealAll(FileStream.of(key(), header()), plaintext(150_000));
        assertThatThrownBy(() -> openAll(key(), Arrays.copyOf(blob, blob.length - 1), 150_000))
                .isInstanceOf(CryptoException.class);
        var fs = FileStream.of(key(), header());
        var chunks = split(Arrays.copyOf(blob, blob.length - 1));
        assertThatThrownBy(() -> openChunks(fs, chunks)).isInstanceOf(CryptoException.class);
    }

    @Test
    void swappedOrReorderedOrRepeatedChunksAreDetected() throws Exception {
        var fs = FileStream.of(key(), header());
        var chunks = split(sealAll(fs, plaintext(4 * FileStream.CHUNK)));
        var swapped = new ArrayList<>(chunks);
        swapped.set(0, chunks.get(1));
        swapped.set(1, chunks.get(0));
        assertThatThrownBy(() -> openChunks(fs, swapped)).isInstanceOf(CryptoException.class).hasMessageContaining("chunk 0");
        var rotated = new ArrayList<>(chunks.subList(1, chunks.size()));
        rotated.add(chunks.get(0));
        assertThatThrownBy(() -> openChunks(fs, rotated)).isInstanceOf(CryptoException.class);
        var repeated = new ArrayList<>(chunks);
        repeated.set(2, chunks.get(1));
        assertThatThrownBy(() -> openChunks(fs, repeated)).isInstanceOf(CryptoException.class).hasMessageContaining("chunk 2");
        var lastMoved = new ArrayList<>(chunks.subList(0, 2));
        lastMoved.add(chunks.get(chunks.size() - 1));
        assertThatThrownBy(() -> openChunks(fs, lastMoved)).isInstanceOf(CryptoException.class);
    }

    @Test
    void aFlippedBitAnywhereIsDetected() throws Exception {
        int size = FileStream.CHUNK + 500;
        byte[] blob = sealAll(FileStream.of(key(), header()), plaintext(size));
        for (int pos : new int[] {0, 1, FileStream.HEADER - 1, FileStream.HEADER, 40_000, FileStream.HEADER + FileStream.CHUNK + 15,
                FileStream.HEADER + FileStream.CHUNK + FileStream.TAG, blob.length - 1}) {
            var bad = blob.clone();
            bad[pos] ^= 0x01;
            assertThatThrownBy(() -> openAll(key(), bad, size)).as("bit at " + pos).isInstanceOf(CryptoException.class);
        }
    }

    @Test
    void aChunkSplicedFromAnotherFileIsDetected() throws Exception {
        var random = new FixedRandom(3);
        byte[] keyA = FileStream.newKey(random);
        byte[] keyB = FileStream.newKey(random);
        var fa = FileStream.create(keyA, random);
        byte[] a = sealAll(fa, plaintext(2 * FileStream.CHUNK + 10));
        byte[] sameKeyOtherSalt = sealAll(FileStream.create(keyA, random), plaintext(2 * FileStream.CHUNK + 10));
        byte[] otherKey = sealAll(FileStream.create(keyB, random), plaintext(2 * FileStream.CHUNK + 10));
        for (byte[] donor : List.of(sameKeyOtherSalt, otherKey)) {
            var chunks = new ArrayList<>(split(a));
            chunks.set(1, split(donor).get(1));
            assertThatThrownBy(() -> openChunks(fa, chunks)).isInstanceOf(CryptoException.class).hasMessageContaining("chunk 1");
        }
        var headerSwapped = a.clone();
        System.arraycopy(otherKey, 0, headerSwapped, 0, FileStream.HEADER);
        assertThatThrownBy(() -> openAll(keyA, headerSwapped, 2 * FileStream.CHUNK + 10)).isInstanceOf(CryptoException.class);
    }

    @Test
    void anUnknownVersionOrAWrongKeyIsRefused() throws Exception {
        var h = header();
        h[0] = 2;
        assertThatThrownBy(() -> FileStream.of(key(), h)).isInstanceOf(CryptoException.class);
        byte[] blob = sealAll(FileStream.of(key(), header()), plaintext(10));
        var other = key();
        other[31] ^= 1;
        assertThatThrownBy(() -> openAll(other, blob, 10)).isInstanceOf(CryptoException.class);
        assertThat(FileStream.of(key(), header()).toString()).doesNotContain("0001020304");
    }
}
