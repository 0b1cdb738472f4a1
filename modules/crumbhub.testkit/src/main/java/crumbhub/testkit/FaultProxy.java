package crumbhub.testkit;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 that puts network faults between real clients and a real server, in
 * the manner of Toxiproxy: latency and jitter, a bandwidth limit, a cut after N bytes, a black
 * hole in one or both directions (a half-open connection), a reset (RST) and a slow close. Each
 * accepted connection opens its own connection to the target and is a {@link Link}; what happens
 * to its bytes is a {@link Faults}, changed at run time for all links ({@link #faults(Faults)},
 * which also applies to connections still to come) or for one ({@link Link#faults(Faults)}).
 *
 * <p>One platform thread owns a Selector and every channel on it (docs/threading.md's rule for
 * loops): the test's calls hand their work to it and <em>block until it is done</em> (at most
 * 10 s), so after {@code resetAll()} returns the resets have been sent. Timers (latency, bandwidth,
 * slow close) are deadlines checked by the loop, without further threads. A target that cannot be
 * reached (a server that is down) resets the client's connection. {@link #close()} stops the loop
 * and closes everything it opened.
 */
public final class FaultProxy implements AutoCloseable {
    /** Per link and direction, bytes held before reading from the sender stops: back-pressure, bounded memory. */
    static final int MAX_QUEUED = 1 << 20;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final InetSocketAddress target;
    private final Selector selector;
    private final ServerSocketChannel listener;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final AtomicLong accepted = new AtomicLong();
    /** Loop thread only. */
    private final SplittableRandom random;
    private volatile Faults template = Faults.NONE;
    private volatile boolean closed;

    private FaultProxy(InetSocketAddress target, long seed) throws IOException {
        this.target = target;
        this.random = new SplittableRandom(seed);
        this.selector = Selector.open();
        this.listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
        this.thread = Thread.ofPlatform().daemon().name("fault-proxy-" + port()).start(this::run);
    }

    /** A proxy on 127.0.0.1 (a free port) to {@code 127.0.0.1:targetPort}; jitter from a fixed seed. */
    public static FaultProxy start(int targetPort) throws IOException {
        return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 1);
    }

    /** A proxy to {@code target}, drawing jitter from {@code seed} so that a run can be replayed. */
    public static FaultProxy start(InetSocketAddress target, long seed) throws IOException {
        return new FaultProxy(target, seed);
    }

    /** The port clients connect to. */
    public int port() {
        return listener.socket().getLocalPort();
    }

    /** {@code 127.0.0.1:port}, as the clients' server address. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    /** Connections accepted since the start. */
    public long accepted() {
        return accepted.get();
    }

    /** The links open now, oldest first. */
    public List<Link> links() {
        return List.copyOf(links);
    }

    /** Sets the faults of every open link and of every link accepted from now on. */
    public void faults(Faults faults) {
        template = faults;
        call(() -> links.forEach(l -> l.apply(faults)));
    }

    /** Resets (RST) every open link on both sides. */
    public void resetAll() {
        call(() -> List.copyOf(links).forEach(l -> l.close(true)));
    }

    /** Closes (FIN) every open link on both sides, dropping what was still held. */
    public void cutAll() {
        call(() -> List.copyOf(links).forEach(l -> l.close(false)));
    }

    /** Stops the loop and closes the listener and every connection it opened; blocks until done. */
    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(CALL_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs {@code task} on the loop thread and waits for it. */
    private void call(Runnable task) {
        if (closed) {
            throw new IllegalStateException("the fault proxy is closed");
        }
        var done = new CompletableFuture<Void>();
        tasks.add(() -> {
            task.run();
            done.complete(null);
        });
        selector.wakeup();
        try {
            done.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the fault proxy worked", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the fault proxy did not carry out a change", e);
        }
    }

    private void run() {
        try {
            while (!closed) {
                for (Runnable r; (r = tasks.poll()) != null; ) {
                    r.run();
                }
                long now = System.nanoTime();
                long wake = Long.MAX_VALUE;
                for (Link l : links) {
                    wake = Math.min(wake, l.step(now));
                }
                long millis = wake == Long.MAX_VALUE ? 0 : Math.max(1, (wake - now + 999_999) / 1_000_000);
                selector.select(millis);
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.attachment() instanceof Link l) {
                        l.ready(key);
                    } else if (key.isValid() && key.isAcceptable()) {
                        accept();
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("fault proxy loop failed", e);
        } finally {
            List.copyOf(links).forEach(l -> l.close(false));
            closeQuietly(listener);
            closeQuietly(selector);
        }
    }

    private void accept() throws IOException {
        SocketChannel client = listener.accept();
        if (client == null) {
            return;
        }
        accepted.incrementAndGet();
        client.configureBlocking(false);
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        SocketChannel server = SocketChannel.open();
        server.configureBlocking(false);
        server.setOption(StandardSocketOptions.TCP_NODELAY, true);
        var link = new Link(client, server);
        links.add(link);
        link.apply(template);
        try {
            link.connected = server.connect(target);
        } catch (IOException e) {
            link.close(true);
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing is best effort when the proxy stops; the test has its answer by then
            System.getLogger(FaultProxy.class.getName()).log(System.Logger.Level.DEBUG, "close failed", e);
        }
    }

    /**
     * One proxied connection: the client's socket, the proxy's socket to the target, and a
     * {@link Pipe} each way. Every field belongs to the loop thread except the counters.
     *
     * <pre>
     *  accepted ──connect──▶ open ──both sides closed their output──▶ closed
     *      │                  │ ──cut / reset / I/O error / proxy closed──▶ closed
     *      └── target refuses ──▶ reset ──▶ closed
     * </pre>
     */
    public final class Link {
        private final SocketChannel client;
        private final SocketChannel server;
        private final Pipe up;
        private final Pipe down;
        private Faults faults = Faults.NONE;
        /** The total of bytes forwarded (both ways) at which the link is cut; -1 never. */
        private long cutAt = -1;
        private boolean connected;
        private volatile boolean open = true;

        private Link(SocketChannel client, SocketChannel server) {
            this.client = client;
            this.server = server;
            this.up = new Pipe(client, server, true);
            this.down = new Pipe(server, client, false);
        }

        /** Sets this link's faults (the cut count starts now). */
        public void faults(Faults f) {
            call(() -> apply(f));
        }

        /** Resets (RST) both sides. */
        public void reset() {
            call(() -> close(true));
        }

        /** Closes (FIN) both sides, dropping what was still held. */
        public void cut() {
            call(() -> close(false));
        }

        public boolean isOpen() {
            return open;
        }

        /** Bytes forwarded from the client to the target. */
        public long bytesUp() {
            return up.forwarded.get();
        }

        /** Bytes forwarded from the target to the client. */
        public long bytesDown() {
            return down.forwarded.get();
        }

        private long forwarded() {
            return up.forwarded.get() + down.forwarded.get();
        }

        private void apply(Faults f) {
            faults = f;
            cutAt = f.cutAfterBytes() < 0 ? -1 : forwarded() + f.cutAfterBytes();
            if (f.blackHoleUp()) {
                up.drop();
            }
            if (f.blackHoleDown()) {
                down.drop();
            }
        }

        private void ready(SelectionKey key) {
            if (!open || !key.isValid()) {
                return;
            }
            try {
                if (key.isConnectable() && server.finishConnect()) {
                    connected = true;
                }
                if (key.isReadable()) {
                    (key.channel() == client ? up : down).read();
                }
            } catch (IOException e) {
                close(true);
            }
        }

        /** Forwards what is due, updates interest; the next time this link needs the loop (or MAX_VALUE). */
        private long step(long now) {
            if (!open) {
                return Long.MAX_VALUE;
            }
            try {
                long wake = connected ? Math.min(up.flush(now), down.flush(now)) : Long.MAX_VALUE;
                if (!open) {
                    return Long.MAX_VALUE;
                }
                if (up.shut && down.shut) {
                    close(false);
                    return Long.MAX_VALUE;
                }
                interest(client, up.wantsRead() ? SelectionKey.OP_READ : 0, down.wantWrite);
                interest(server, !connected ? SelectionKey.OP_CONNECT : down.wantsRead() ? SelectionKey.OP_READ : 0,
                        up.wantWrite);
                return wake;
            } catch (IOException e) {
                close(true);
                return Long.MAX_VALUE;
            }
        }

        private void interest(SocketChannel ch, int ops, boolean write) throws IOException {
            int all = ops | (write ? SelectionKey.OP_WRITE : 0);
            SelectionKey key = ch.keyFor(selector);
            if (key == null) {
                ch.register(selector, all, this);
            } else if (key.interestOps() != all) {
                key.interestOps(all);
            }
        }

        /** Closes both sockets; with {@code reset}, SO_LINGER 0 makes the close an RST. */
        private void close(boolean reset) {
            if (!open) {
                return;
            }
            open = false;
            links.remove(this);
            for (SocketChannel ch : List.of(client, server)) {
                if (reset && ch.isOpen()) {
                    try {
                        ch.setOption(StandardSocketOptions.SO_LINGER, 0);
                    } catch (IOException e) {
                        System.getLogger(FaultProxy.class.getName()).log(System.Logger.Level.DEBUG, "linger", e);
                    }
                }
                closeQuietly(ch);
            }
        }

        /** One direction: bytes read from {@code src}, held until due, written to {@code dst}. */
        private final class Pipe {
            private final SocketChannel src;
            private final SocketChannel dst;
            private final boolean isUp;
            private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
            private final AtomicLong forwarded = new AtomicLong();
            private long queued;
            private long lastDue;
            private long nextSend;
            private long shutDue = -1;
            private boolean srcEof;
            private boolean shut;
            private boolean wantWrite;

            private Pipe(SocketChannel src, SocketChannel dst, boolean isUp) {
                this.src = src;
                this.dst = dst;
                this.isUp = isUp;
            }

            private boolean blackHole() {
                return isUp ? faults.blackHoleUp() : faults.blackHoleDown();
            }

            private boolean wantsRead() {
                return connected && !srcEof && queued < MAX_QUEUED;
            }

            private void drop() {
                queue.clear();
                queued = 0;
            }

            private void read() throws IOException {
                var buf = ByteBuffer.allocate(16 * 1024);
                int n = src.read(buf);
                if (n < 0) {
                    srcEof = true;
                    return;
                }
                if (n == 0 || blackHole()) {
                    return;
                }
                buf.flip();
                long now = System.nanoTime();
                long delay = faults.latency().toNanos();
                long jitter = faults.jitter().toNanos();
                if (jitter > 0) {
                    delay += random.nextLong(jitter);
                }
                long due = Math.max(lastDue, now + delay);
                lastDue = due;
                queue.add(new Chunk(buf, due));
                queued += n;
            }

            /** Writes what is due and allowed; the next deadline of this direction. */
            private long flush(long now) throws IOException {
                wantWrite = false;
                long bps = faults.bytesPerSecond();
                while (!queue.isEmpty()) {
                    Chunk c = queue.peek();
                    if (c.due() > now) {
                        return c.due();
                    }
                    if (bps > 0 && nextSend > now) {
                        return nextSend;
                    }
                    int n = c.bytes().remaining();
                    if (bps > 0) {
                        n = (int) Math.min(n, Math.max(1, bps / 50));
                    }
                    if (cutAt >= 0) {
                        long left = cutAt - forwarded();
                        if (left <= 0) {
                            close(false);
                            return Long.MAX_VALUE;
                        }
                        n = (int) Math.min(n, left);
                    }
                    var slice = c.bytes().slice(c.bytes().position(), n);
                    int written = dst.write(slice);
                    c.bytes().position(c.bytes().position() + written);
                    forwarded.addAndGet(written);
                    queued -= written;
                    if (bps > 0) {
                        nextSend = Math.max(nextSend, now) + written * 1_000_000_000L / bps;
                    }
                    if (!c.bytes().hasRemaining()) {
                        queue.poll();
                    }
                    if (cutAt >= 0 && forwarded() >= cutAt) {
                        close(false);
                        return Long.MAX_VALUE;
                    }
                    if (written < n) {
                        wantWrite = true;
                        return Long.MAX_VALUE;
                    }
                }
                if (srcEof && !shut) {
                    if (shutDue < 0) {
                        shutDue = now + faults.slowClose().toNanos();
                    }
                    if (shutDue > now) {
                        return shutDue;
                    }
                    dst.shutdownOutput();
                    shut = true;
                }
                return Long.MAX_VALUE;
            }
        }
    }

    /** Bytes read at one time and when they may be written. */
    private record Chunk(ByteBuffer bytes, long due) {}
}
