package crumbhub.client.files;

import crumbhub.crypto.CryptoException;
import crumbhub.crypto.file.FileStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Opens a sealed file (docs/crypto.md "File attachments") as its bytes arrive, in order, and
 * writes the plaintext to {@code out}: one chunk in memory whatever the file's size. Every length
 * is derived from the size the end-to-end message states, never from the server: a chunk that
 * does not authenticate at its position, padding that is not zero, bytes past the end, or a
 * content hash that differs from the message's all fail with {@link CryptoException}. Not thread-safe.
 */
final class SealedSink {
    private final byte[] key;
    private final long size;
    private final long chunks;
    private final FileChannel out;
    private final MessageDigest sha;
    private final byte[] header = new byte[FileStream.HEADER];
    private final byte[] sealed = new byte[FileStream.CHUNK + FileStream.TAG];
    private final byte[] plain = new byte[FileStream.CHUNK];
    private FileStream stream;
    private int filled;
    private long index = -1;
    private long written;

    SealedSink(byte[] key, long size, FileChannel out) {
        this.key = key.clone();
        this.size = size;
        this.chunks = FileStream.chunks(size);
        this.out = out;
        this.sha = Digests.sha256();
    }

    /** Takes the next sealed bytes. */
    void accept(byte[] data) throws CryptoException, IOException {
        int pos = 0;
        while (pos < data.length) {
            if (index >= chunks) {
                throw new CryptoException("the file holds bytes past its end");
            }
            byte[] target = index < 0 ? header : sealed;
            int want = index < 0 ? FileStream.HEADER : FileStream.plainLength(size, index) + FileStream.TAG;
            int take = Math.min(want - filled, data.length - pos);
            System.arraycopy(data, pos, target, filled, take);
            filled += take;
            pos += take;
            if (filled == want) {
                complete(want);
            }
        }
    }

    private void complete(int want) throws CryptoException, IOException {
        if (index < 0) {
            stream = FileStream.of(key, header);
        } else {
            int n = stream.open(index, index == chunks - 1, sealed, 0, want, plain, 0);
            long start = index * FileStream.CHUNK;
            int real = (int) Math.max(0, Math.min(n, size - start));
            for (int i = real; i < n; i++) {
                if (plain[i] != 0) {
                    throw new CryptoException("the file's padding is not zero");
                }
            }
            sha.update(plain, 0, real);
            var buf = ByteBuffer.wrap(plain, 0, real);
            while (buf.hasRemaining()) {
                written += out.write(buf, written);
            }
            Arrays.fill(plain, (byte) 0);
        }
        index++;
        filled = 0;
    }

    /** Checks that every chunk arrived and that the content's SHA-256 is {@code expected}. */
    void finish(byte[] expected) throws CryptoException {
        if (index != chunks) {
            throw new CryptoException("the file ended early");
        }
        if (!MessageDigest.isEqual(sha.digest(), expected)) {
            throw new CryptoException("the file's content does not match its hash");
        }
        Arrays.fill(key, (byte) 0);
    }
}
