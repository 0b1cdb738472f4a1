package crumbhub.server.core;

import crumbhub.wire.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A connection that records what the core sends to it. */
final class FakePeer implements Peer {
    final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    final byte[] key;
    final String host;
    volatile boolean congested;
    volatile boolean closed;

    FakePeer(int keyByte, String host) {
        key = new byte[32];
        key[0] = (byte) keyByte;
        key[31] = 1;
        this.host = host;
    }

    @Override
    public boolean send(Frame frame) {
        if (closed) {
            return false;
        }
        frames.add(frame);
        return true;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public boolean congested() {
        return congested;
    }

    @Override
    public byte[] remoteStatic() {
        return key.clone();
    }

    @Override
    public String remoteHost() {
        return host;
    }

    /** The next frame, waiting at most 5 s. */
    Frame next() {
        try {
            Frame f = frames.poll(5, TimeUnit.SECONDS);
            if (f == null) {
                throw new AssertionError("no frame within 5 s");
            }
            return f;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    <T extends Frame> T next(Class<T> type) {
        Frame f = next();
        if (!type.isInstance(f)) {
            throw new AssertionError("expected " + type.getSimpleName() + " but got " + f);
        }
        return type.cast(f);
    }

    /** Frames arriving within {@code quiet}; asserts nothing else is pending after that. */
    List<Frame> drain(Duration quiet) {
        var out = new ArrayList<Frame>();
        try {
            Frame f;
            while ((f = frames.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                out.add(f);
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return out;
    }
}
