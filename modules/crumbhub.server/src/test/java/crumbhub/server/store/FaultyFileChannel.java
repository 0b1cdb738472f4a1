package crumbhub.server.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * A real file channel with injectable faults from {@link Faults}: a write budget that runs out
 * like a full disk (a partial write, then "No space left on device"), failing or gated forces,
 * failing truncation. It records the size of each file at its last force, so tests can check
 * that a callback only ran after its record was forced.
 */
final class FaultyFileChannel extends FileChannel {

    private final FileChannel delegate;
    private final Path path;
    private final Faults faults;

    FaultyFileChannel(FileChannel delegate, Path path, Faults faults) {
        this.delegate = delegate;
        this.path = path;
        this.faults = faults;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        int allowed = faults.reserve(src.remaining());
        var slice = src.slice(src.position(), allowed);
        int written = delegate.write(slice, position);
        src.position(src.position() + written);
        faults.refund(allowed - written);
        return written;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int allowed = faults.reserve(src.remaining());
        var slice = src.slice(src.position(), allowed);
        int written = delegate.write(slice);
        src.position(src.position() + written);
        faults.refund(allowed - written);
        return written;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            if (srcs[i].hasRemaining()) {
                total += write(srcs[i]);
                if (srcs[i].hasRemaining()) {
                    break;
                }
            }
        }
        return total;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        faults.beforeForce();
        delegate.force(metaData);
        faults.forced(path, delegate.size());
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        faults.beforeTruncate();
        delegate.truncate(size);
        return this;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return delegate.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return delegate.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return delegate.read(dst, position);
    }

    @Override
    public long position() throws IOException {
        return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        delegate.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        throw new IOException("transferTo is not used by the store");
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        throw new IOException("transferFrom is not used by the store");
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        throw new IOException("map is not used by the store");
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        delegate.close();
    }
}
