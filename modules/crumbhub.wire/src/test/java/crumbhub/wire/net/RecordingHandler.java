package crumbhub.wire.net;

import crumbhub.wire.CloseReason;
import crumbhub.wire.Frame;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** A handler that records what happens and can react to frames; a fake, not a mock. */
class RecordingHandler implements ConnectionHandler {
    static final long WAIT_S = 5;

    final CompletableFuture<Connection> ready = new CompletableFuture<>();
    final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    final List<Boolean> writability = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    volatile boolean acceptKey = true;
    volatile byte[] offeredKey;
    volatile BiConsumer<Connection, Frame> onFrame = (c, f) -> { };
    /** Runs in {@link #acceptRemoteKey}, before the answer: what the handler does while the handshake is under way. */
    volatile Consumer<Connection> whileJudgingKey = c -> { };

    @Override
    public boolean acceptRemoteKey(Connection connection, byte[] remoteStatic) {
        threads.add(Thread.currentThread().getName());
        offeredKey = remoteStatic;
        whileJudgingKey.accept(connection);
        return acceptKey;
    }

    @Override
    public void onReady(Connection connection) {
        threads.add(Thread.currentThread().getName());
        ready.complete(connection);
    }

    @Override
    public void onFrame(Connection connection, Frame frame) {
        frames.add(frame);
        onFrame.accept(connection, frame);
    }

    @Override
    public void onWritabilityChanged(Connection connection, boolean writable) {
        writability.add(writable);
    }

    @Override
    public void onClosed(Connection connection, CloseReason reason) {
        threads.add(Thread.currentThread().getName());
        closed.complete(reason);
    }

    Connection awaitReady() throws Exception {
        return ready.get(WAIT_S, TimeUnit.SECONDS);
    }

    CloseReason awaitClosed() throws Exception {
        return closed.get(WAIT_S, TimeUnit.SECONDS);
    }

    Frame nextFrame() throws InterruptedException {
        Frame f = frames.poll(WAIT_S, TimeUnit.SECONDS);
        if (f == null) {
            throw new AssertionError("no frame within " + WAIT_S + " s");
        }
        return f;
    }
}
