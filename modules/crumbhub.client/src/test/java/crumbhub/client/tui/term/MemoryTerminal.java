package crumbhub.client.tui.term;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** An in-memory {@link Terminal}: input is queued by the test, output drawn on a {@link VirtualScreen}. */
public final class MemoryTerminal implements Terminal {
    private static final byte[] END = new byte[0];
    private final BlockingQueue<byte[]> input = new LinkedBlockingQueue<>();
    private volatile TerminalSize size;
    private final VirtualScreen screen;
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicInteger sizeQueries = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private volatile boolean closed;
    private boolean ended;

    public MemoryTerminal(int columns, int rows) {
        size = new TerminalSize(columns, rows);
        screen = new VirtualScreen(columns, rows);
    }

    /** Queues bytes as if typed. */
    public void type(byte[] data) {
        input.add(data.clone());
    }

    public void type(String text) {
        type(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Ends the input (like the terminal hanging up). */
    public void hangUp() {
        input.add(END);
    }

    public synchronized void resize(int columns, int rows) {
        size = new TerminalSize(columns, rows);
        screen.resize(columns, rows);
    }

    /** The emulated screen; read it only while the UI is idle. */
    public synchronized VirtualScreen screen() {
        return screen;
    }

    public synchronized String dump() {
        return screen.dump();
    }

    public int writes() {
        return writes.get();
    }

    public long bytesWritten() {
        return bytes.get();
    }

    public boolean closed() {
        return closed;
    }

    @Override
    public TerminalSize size() {
        sizeQueries.incrementAndGet();
        return size;
    }

    /** How often the program asked for the size: it polls at its own pace, so a test can await a poll. */
    public int sizeQueries() {
        return sizeQueries.get();
    }

    @Override
    public int read(byte[] buffer, Duration timeout) {
        if (ended) {
            return -1;
        }
        try {
            byte[] data = input.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (data == null) {
                return 0;
            }
            if (data == END) {
                ended = true;
                return -1;
            }
            if (data.length > buffer.length) {
                throw new IllegalArgumentException("test input larger than the read buffer");
            }
            System.arraycopy(data, 0, buffer, 0, data.length);
            return data.length;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public synchronized void write(byte[] data) {
        writes.incrementAndGet();
        bytes.addAndGet(data.length);
        screen.apply(data);
    }

    @Override
    public void close() {
        closed = true;
    }
}
