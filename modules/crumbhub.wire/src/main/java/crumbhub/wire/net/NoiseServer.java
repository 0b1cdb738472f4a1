package crumbhub.wire.net;

import crumbhub.crypto.X25519KeyPair;
import crumbhub.wire.Protocol;
import crumbhub.wire.log.Log;
import crumbhub.wire.loop.EventLoop;
import crumbhub.wire.loop.EventLoopGroup;
import crumbhub.wire.loop.IoHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A listening socket whose connections are Noise responders. One loop of the group accepts;
 * accepted sockets go round-robin to the group's loops, each of which then owns its connections
 * for their whole life. Each loop gets its own copy of the server key, because a key pair is
 * confined to one thread.
 */
public final class NoiseServer implements AutoCloseable {
    private static final Log LOG = Log.get(NoiseServer.class.getName());
    /** Pending connections the kernel queues for us. */
    private static final int BACKLOG = 1024;
    /** Sockets accepted per readiness event before other channels on the acceptor loop get a turn. */
    private static final int MAX_ACCEPTS_PER_EVENT = 64;
    /** Pause after accept fails (e.g. out of file descriptors), instead of spinning on a ready socket. */
    private static final Duration ACCEPT_BACKOFF = Duration.ofMillis(100);
    /** How long bind and close wait for the acceptor loop. */
    private static final long LOOP_WAIT_SECONDS = 10;
    /**
     * How long a refused socket is kept to read what the client sent before it is closed: closing
     * with unread input would send a reset that can overtake the refusal marker.
     */
    private static final Duration REFUSAL_LINGER = Duration.ofSeconds(1);
    /** Refused sockets lingering at once; beyond this they are simply closed (a flood gets no courtesy). */
    private static final int MAX_LINGERING_REFUSALS = 256;

    private final ServerSocketChannel server;
    private final EventLoopGroup group;
    private final EventLoop acceptLoop;
    private final Map<EventLoop, X25519KeyPair> keys = new IdentityHashMap<>();
    private final byte[] publicKey;
    private final ConnectionHandler.Factory factory;
    private final ConnectionOptions options;
    private final Admission admission;
    /** Refused sockets still lingering; acceptor loop only. */
    private int lingering;
    private final InetSocketAddress localAddress;
    private SelectionKey key;

    private NoiseServer(ServerSocketChannel server, EventLoopGroup group, X25519KeyPair serverStatic,
            ConnectionHandler.Factory factory, ConnectionOptions options, Admission admission) throws IOException {
        this.server = server;
        this.group = group;
        this.acceptLoop = group.next();
        this.factory = factory;
        this.options = options;
        this.admission = admission;
        this.publicKey = serverStatic.publicKey();
        this.localAddress = (InetSocketAddress) server.getLocalAddress();
        byte[] priv = serverStatic.privateKey();
        try {
            for (EventLoop loop : group.loops()) {
                keys.put(loop, X25519KeyPair.fromPrivate(priv));
            }
        } finally {
            Arrays.fill(priv, (byte) 0);
        }
    }

    /**
     * Listens on {@code address} (port 0 picks a free port). Blocks until the acceptor loop has
     * taken the socket; must not be called on a loop of {@code group} other than through that loop.
     */
    public static NoiseServer bind(InetSocketAddress address, EventLoopGroup group, X25519KeyPair serverStatic,
            ConnectionHandler.Factory factory, ConnectionOptions options) throws IOException {
        return bind(address, group, serverStatic, factory, options, Admission.ALL);
    }

    /**
     * As {@link #bind(InetSocketAddress, EventLoopGroup, X25519KeyPair, ConnectionHandler.Factory,
     * ConnectionOptions)}, asking {@code admission} about each accepted socket first.
     */
    public static NoiseServer bind(InetSocketAddress address, EventLoopGroup group, X25519KeyPair serverStatic,
            ConnectionHandler.Factory factory, ConnectionOptions options, Admission admission) throws IOException {
        java.util.Objects.requireNonNull(admission, "admission");
        ServerSocketChannel ch = ServerSocketChannel.open();
        NoiseServer s;
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(address, BACKLOG);
            ch.configureBlocking(false);
            s = new NoiseServer(ch, group, serverStatic, factory, options, admission);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        try {
            s.onAcceptLoop(s::register);
        } catch (IOException e) {
            s.closeKeys();
            ch.close();
            throw e;
        }
        LOG.info("listening", "addr", s.localAddress, "loops", group.loops().size());
        return s;
    }

    /** The bound address, with the real port when port 0 was asked for. */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** A copy of the server's static public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /**
     * Stops accepting and closes the listening socket. Connections already accepted stay open
     * until they close or their loops shut down; those still in their handshake may fail. Blocks until
     * the acceptor loop released the socket.
     */
    @Override
    public void close() {
        if (acceptLoop.terminationFuture().isDone()) {
            return; // the loop released the socket when it shut down
        }
        try {
            onAcceptLoop(() -> {
                if (key != null) {
                    key.cancel();
                }
                closeKeys();
                server.close();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the listening socket " + localAddress, e);
        }
        LOG.info("stopped_listening", "addr", localAddress);
    }

    private interface LoopAction {
        void run() throws IOException;
    }

    private void onAcceptLoop(LoopAction action) throws IOException {
        if (acceptLoop.inLoop()) {
            action.run();
            return;
        }
        var done = new CompletableFuture<Void>();
        try {
            acceptLoop.execute(() -> {
                try {
                    action.run();
                    done.complete(null);
                } catch (IOException | RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
            done.get(LOOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            throw new IOException("the acceptor loop " + acceptLoop.name() + " has shut down", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("acceptor loop action failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the acceptor loop " + acceptLoop.name() + " did not respond", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the acceptor loop", e);
        }
    }

    private void register() throws IOException {
        key = acceptLoop.register(server, SelectionKey.OP_ACCEPT, new Acceptor());
    }

    /** Zeroes each per-loop key copy on its own loop, since a key pair is confined to one thread. */
    private void closeKeys() {
        keys.forEach((loop, k) -> {
            if (loop.inLoop()) {
                k.close();
                return;
            }
            try {
                loop.execute(k::close);
            } catch (RejectedExecutionException e) {
                k.close(); // that loop has ended, nothing else can touch the key
            }
        });
    }

    /** A refused socket: reads and drops what the client sends until its EOF or the linger time. */
    private final class Refusal implements IoHandler {
        private final SocketChannel ch;
        private SelectionKey key;
        private crumbhub.wire.loop.Cancellable timer;
        private boolean closed;

        Refusal(SocketChannel ch) {
            this.ch = ch;
        }

        @Override
        public void onSelected(int readyOps) {
            ByteBuffer sink = ByteBuffer.allocate(512);
            try {
                for (int i = 0; i < 4; i++) {
                    sink.clear();
                    int n = ch.read(sink);
                    if (n < 0) {
                        close();
                        return;
                    }
                    if (n == 0) {
                        return;
                    }
                }
            } catch (IOException e) {
                close();
            }
        }

        @Override
        public void onLoopShutdown() {
            close();
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            lingering--;
            if (key != null) {
                key.cancel();
            }
            if (timer != null) {
                timer.cancel();
            }
            closeQuietly(ch);
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            LOG.debug(e, "socket_close_failed");
        }
    }

    /** Accepts on the acceptor loop and hands each socket to the next loop of the group. */
    private final class Acceptor implements IoHandler {
        @Override
        public void onSelected(int readyOps) {
            for (int i = 0; i < MAX_ACCEPTS_PER_EVENT; i++) {
                SocketChannel ch;
                try {
                    ch = server.accept();
                } catch (IOException e) {
                    LOG.warn("accept_failed", "addr", localAddress, "action", "pause_" + ACCEPT_BACKOFF.toMillis() + "ms",
                            "error", e.getMessage());
                    pause();
                    return;
                }
                if (ch == null) {
                    return;
                }
                InetSocketAddress remote;
                try {
                    remote = (InetSocketAddress) ch.getRemoteAddress();
                } catch (IOException e) {
                    LOG.debug("accept_failed", "reason", "no_remote_address");
                    closeQuietly(ch);
                    continue;
                }
                Runnable release = admit(remote);
                if (release == null) {
                    refuse(ch, remote);
                    continue;
                }
                EventLoop target = group.next();
                X25519KeyPair targetKey = keys.get(target);
                try {
                    target.execute(() -> NoiseConnection.accept(target, ch, remote, targetKey, factory, options,
                            release));
                } catch (RejectedExecutionException e) {
                    closeQuietly(ch);
                    release.run();
                }
            }
        }

        private Runnable admit(InetSocketAddress remote) {
            try {
                return admission.admit(remote);
            } catch (RuntimeException e) {
                LOG.warn(e, "admission_failed", "addr", remote);
                return null;
            }
        }

        /** Sends the refusal marker (§1), half-closes, and lingers briefly to drain the client's bytes. */
        private void refuse(SocketChannel ch, InetSocketAddress remote) {
            LOG.debug("connection_refused", "addr", remote, "reason", "connection_limit");
            if (lingering >= MAX_LINGERING_REFUSALS) {
                closeQuietly(ch);
                return;
            }
            try {
                ch.configureBlocking(false);
                ch.write(ByteBuffer.wrap(new byte[] {(byte) (Protocol.REFUSAL_LENGTH >>> 8),
                        (byte) Protocol.REFUSAL_LENGTH}));
                ch.shutdownOutput();
                var refusal = new Refusal(ch);
                refusal.key = acceptLoop.register(ch, SelectionKey.OP_READ, refusal);
                refusal.timer = acceptLoop.schedule(REFUSAL_LINGER, refusal::close);
                lingering++;
            } catch (IOException | RuntimeException e) {
                closeQuietly(ch);
            }
        }

        private void pause() {
            key.interestOps(0);
            acceptLoop.schedule(ACCEPT_BACKOFF, () -> {
                if (key.isValid()) {
                    key.interestOps(SelectionKey.OP_ACCEPT);
                }
            });
        }

        @Override
        public void onLoopShutdown() {
            key.cancel();
            closeKeys();
            try {
                server.close();
            } catch (IOException e) {
                LOG.debug(e, "listener_close_failed");
            }
        }
    }
}
