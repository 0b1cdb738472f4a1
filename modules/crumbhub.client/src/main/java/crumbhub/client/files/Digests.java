package crumbhub.client.files;

import crumbhub.crypto.Algorithms;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 of a file's content, read in 1 MiB pieces (constant memory). */
public final class Digests {
    private Digests() {}

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance(Algorithms.SHA256);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The SHA-256 of the first {@code size} bytes of {@code file}. Blocking file I/O. */
    public static byte[] of(FileChannel file, long size) throws IOException {
        var md = sha256();
        var buf = ByteBuffer.allocate(1 << 20);
        for (long pos = 0; pos < size; ) {
            buf.clear().limit((int) Math.min(buf.capacity(), size - pos));
            int n = file.read(buf, pos);
            if (n < 0) {
                throw new IOException("the file became shorter while it was read");
            }
            md.update(buf.array(), 0, n);
            pos += n;
        }
        return md.digest();
    }

    /** Whether {@code file} no longer has {@code size} bytes with SHA-256 {@code sha256}. Blocking file I/O. */
    public static boolean changed(FileChannel file, long size, byte[] sha256) throws IOException {
        return file.size() != size || !MessageDigest.isEqual(of(file, size), sha256);
    }
}
