package crumbhub.client.files;

import crumbhub.crypto.file.FileStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * The sealed form of a file (docs/crypto.md "File attachments") as a stream of bytes from any
 * position, made one chunk at a time from the file on disk: memory is one chunk whatever the
 * file's size. Because sealing is deterministic, the bytes from a position are the same on every
 * run, which is what lets an upload resume where the server's copy ends. Not thread-safe.
 */
final class SealedSource {
    private final FileChannel file;
    private final long size;
    private final FileStream stream;
    private final long chunks;
    private final byte[] plain = new byte[FileStream.CHUNK];
    private final byte[] sealed = new byte[FileStream.CHUNK + FileStream.TAG];
    /** The sealed bytes of the current piece (the header, or chunk {@code index}), and where we are in them. */
    private byte[] piece;
    private int pieceLength;
    private int within;
    private long index;

    SealedSource(FileChannel file, long size, FileStream stream, long from) throws IOException {
        this.file = file;
        this.size = size;
        this.stream = stream;
        this.chunks = FileStream.chunks(size);
        if (from < FileStream.HEADER) {
            piece = stream.header();
            pieceLength = piece.length;
            within = (int) from;
            index = -1;
        } else {
            index = (from - FileStream.HEADER) / (FileStream.CHUNK + FileStream.TAG);
            sealChunk();
            within = (int) (from - FileStream.sealedOffset(index));
        }
    }

    /** The sealed length of the whole file. */
    long length() {
        return FileStream.sealedLength(size);
    }

    /** Fills {@code out} with the next sealed bytes, up to its length; returns how many (0 at the end). */
    int read(byte[] out) throws IOException {
        int n = 0;
        while (n < out.length) {
            if (within == pieceLength) {
                if (index + 1 >= chunks) {
                    break;
                }
                index++;
                sealChunk();
            }
            int take = Math.min(out.length - n, pieceLength - within);
            System.arraycopy(piece, within, out, n, take);
            within += take;
            n += take;
        }
        return n;
    }

    private void sealChunk() throws IOException {
        int len = FileStream.plainLength(size, index);
        long start = index * FileStream.CHUNK;
        int fromFile = (int) Math.max(0, Math.min(len, size - start));
        Arrays.fill(plain, 0, len, (byte) 0);
        var buf = ByteBuffer.wrap(plain, 0, fromFile);
        while (buf.hasRemaining()) {
            if (file.read(buf, start + buf.position()) < 0) {
                throw new IOException("the file became shorter while it was sent");
            }
        }
        pieceLength = stream.seal(index, index == chunks - 1, plain, 0, len, sealed, 0);
        piece = sealed;
        within = 0;
    }
}
