package crumbhub.wire.net;

import crumbhub.crypto.Fingerprint;
import crumbhub.crypto.X25519KeyPair;
import crumbhub.crypto.noise.TransportState;
import crumbhub.wire.CloseReason.Kind;
import crumbhub.wire.CloseReason;
import crumbhub.wire.Frame;
import crumbhub.wire.ProtocolException;
import crumbhub.wire.log.Log;
import crumbhub.wire.loop.EventLoop;
import crumbhub.wire.loop.IoHandler;
import crumbhub.wire.net.ConnectionState.Closed;
import crumbhub.wire.net.ConnectionState.Closing;
import crumbhub.wire.net.ConnectionState.Connecting;
import crumbhub.wire.net.ConnectionState.FinSent;
import crumbhub.wire.net.ConnectionState.Handshaking;
import crumbhub.wire.net.ConnectionState.Open;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;

/**
 * The one state machine behind every {@link Connection}, client or server side; its lifecycle is
 * drawn in {@link Connection} and its states are the {@link ConnectionState} types, held in one
 * field. Each transition is one assignment in one method: {@link #setUp}, {@link #startHandshake},
 * {@link #becomeOpen}, {@link #beginClosing}, {@link #finSent} and {@link #closeNow}. The read path
 * is {@link ConnectionReader}'s, the write path {@link ConnectionWriter}'s; both act on the
 * current state and report failures back here. Everything here belongs to the loop thread; the
 * thread-safe surface is {@link ConnectionBase}. Every failure funnels into {@link #closeNow} (or
 * {@link #beginClosing} for a malformed frame on the server), the one place that decides what a
 * failure does to the connection. Handler failures are logged at WARNING where they are caught;
 * closes at DEBUG.
 */
final class NoiseConnection extends ConnectionBase implements IoHandler {
    private static final Log LOG = Log.get(NoiseConnection.class.getName());

    final SocketChannel channel;
    final boolean client;
    private final X25519KeyPair localStatic;
    private final ConnectionReader reader = new ConnectionReader(this);
    private final ConnectionWriter writer = new ConnectionWriter(this);

    private ConnectionHandler handler;
    private SelectionKey key;
    LoopBuffers buffers;
    /** Runs once when the connection ends: gives back its place under the server's connection limits. */
    private Runnable release;

    private NoiseConnection(EventLoop loop, SocketChannel channel, boolean client, X25519KeyPair localStatic,
            InetSocketAddress remoteAddress, ConnectionOptions options) {
        super(loop, remoteAddress, options);
        this.channel = channel;
        this.client = client;
        this.localStatic = localStatic;
    }

    /**
     * Takes over an accepted socket. Loop thread of {@code loop}; {@code serverKey} is that loop's
     * copy; {@code release} runs once when the connection has ended.
     */
    static void accept(EventLoop loop, SocketChannel channel, InetSocketAddress remote, X25519KeyPair serverKey,
            ConnectionHandler.Factory factory, ConnectionOptions options, Runnable release) {
        var c = new NoiseConnection(loop, channel, false, serverKey, remote, options);
        c.release = release;
        try {
            c.handler = Objects.requireNonNull(factory.create(c), "ConnectionHandler.Factory returned null");
        } catch (RuntimeException e) {
            LOG.warn(e, "handler_factory_failed", "addr", remote);
            c.closeNow(new CloseReason(Kind.HANDLER_ERROR, "handler factory failed", e));
            return;
        }
        try {
            c.setUp();
            c.startHandshake(Handshake.responder(serverKey, options.random()), false);
            c.key = loop.register(channel, SelectionKey.OP_READ, c);
        } catch (IOException | RuntimeException e) {
            c.closeNow(new CloseReason(loop.isShuttingDown() ? Kind.SHUTDOWN : Kind.IO_ERROR,
                    "cannot register the connection: " + e.getMessage(), e));
        }
    }

    /**
     * Opens a socket (bound to {@code local} if not null) and starts connecting on {@code loop};
     * the connection owns {@code deviceKey}.
     */
    static NoiseConnection connect(InetSocketAddress server, InetSocketAddress local, EventLoop loop,
            X25519KeyPair deviceKey, ConnectionHandler handler, ConnectionOptions options) throws IOException {
        SocketChannel ch = SocketChannel.open();
        if (local != null) {
            try {
                ch.bind(local);
            } catch (IOException | RuntimeException e) {
                closeQuietly(ch);
                deviceKey.close();
                throw e;
            }
        }
        var c = new NoiseConnection(loop, ch, true, deviceKey, server, options);
        c.handler = handler;
        try {
            loop.execute(c::startConnect);
        } catch (RejectedExecutionException e) {
            closeQuietly(ch);
            deviceKey.close();
            throw new IOException("the event loop " + loop.name() + " has shut down", e);
        }
        return c;
    }

    /** Registers the client's socket and starts the TCP connect. */
    private void startConnect() {
        try {
            setUp();
            key = loop.register(channel, 0, this);
            if (channel.connect(remoteAddress)) {
                onConnected();
            } else {
                key.interestOps(SelectionKey.OP_CONNECT);
            }
        } catch (IOException | RuntimeException e) {
            closeNow(new CloseReason(loop.isShuttingDown() ? Kind.SHUTDOWN : Kind.CONNECT_FAILED,
                    "cannot connect to " + remoteAddress + ": " + e.getMessage(), e));
        } catch (ProtocolException e) {
            closeNow(e.reason());
        }
    }

    /**
     * CONNECTING (not started) to CONNECTING under the handshake timer, which bounds connect and
     * handshake together: sets the socket up.
     */
    private void setUp() throws IOException {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        buffers = LoopBuffers.get();
        state = new Connecting(loop.schedule(options.handshakeTimeout(), this::onHandshakeTimeout));
    }

    private void onConnected() throws ProtocolException {
        Handshake handshake = Handshake.initiator(localStatic, options.random());
        startHandshake(handshake, true);
        outbound.addHandshakeMessage(handshake.firstMessage());
        key.interestOps(SelectionKey.OP_READ);
        writer.flush();
    }

    /** CONNECTING to HANDSHAKE; the handshake timer keeps running. */
    private void startHandshake(Handshake handshake, boolean initiator) {
        var connecting = (Connecting) state;
        state = new Handshaking(new HandshakePhase(this, handshake, initiator), connecting.handshakeTimer());
    }

    /** Transport messages sent and received so far; read on the loop thread (tests). */
    long messagesSent() {
        return outbound.messagesSent();
    }

    long messagesReceived() {
        TransportPhase t = transport(state);
        return t == null ? 0 : t.messagesReceived();
    }

    /** The transport phase of an open or closing connection, else null. */
    static TransportPhase transport(ConnectionState s) {
        return switch (s) {
            case Open o -> o.transport;
            case Closing c -> c.transport();
            case FinSent f -> f.transport();
            case Connecting c -> null;
            case Handshaking h -> null;
            case Closed c -> null;
        };
    }

    // ---- outbound, loop thread -----------------------------------------------------------------

    @Override
    boolean enqueue(Object frame, int size) {
        ConnectionState s = state;
        if (s instanceof Closed || s instanceof FinSent) {
            outbound.release(size);
            return false;
        }
        outbound.add(frame);
        if (outbound.bytes() > options.outboundSoftLimit()) {
            writable = false;
        }
        writer.requestFlush();
        return true;
    }

    /** Tells the handler the connection became writable or unwritable. */
    void notifyWritability(boolean writable) {
        try {
            handler.onWritabilityChanged(this, writable);
        } catch (RuntimeException e) {
            handlerFailed("onWritabilityChanged", e);
        }
    }

    /** Turns interest in {@code op} on or off, if the socket is still registered. */
    void setInterest(int op, boolean on) {
        if (key == null || !key.isValid()) {
            return;
        }
        int ops = key.interestOps();
        int next = on ? ops | op : ops & ~op;
        if (next != ops) {
            key.interestOps(next);
        }
    }

    // ---- readiness and inbound, loop thread ----------------------------------------------------

    @Override
    public void onSelected(int readyOps) {
        if (state instanceof Closed) {
            return;
        }
        if ((readyOps & SelectionKey.OP_CONNECT) != 0) {
            try {
                if (!channel.finishConnect()) {
                    return;
                }
                onConnected();
            } catch (IOException e) {
                closeNow(new CloseReason(Kind.CONNECT_FAILED, "cannot connect to " + remoteAddress + ": "
                        + e.getMessage(), e));
                return;
            } catch (ProtocolException e) {
                closeNow(e.reason());
                return;
            }
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0) {
            writer.flush();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0) {
            reader.onReadable();
        }
    }

    /** Whether inbound messages are still being handled: false once closing or closed. */
    boolean isReading() {
        ConnectionState s = state;
        return s instanceof Open || s instanceof Handshaking;
    }

    /** Queues a handshake message ahead of any frame. Called by {@link HandshakePhase}. */
    void queueHandshakeMessage(byte[] message) {
        outbound.addHandshakeMessage(message);
        writer.requestFlush();
    }

    /**
     * Asks the handler about the peer's key; closes with KEY_REJECTED if refused. Returns whether
     * the handshake may go on: false if refused, or if the handler closed the connection meanwhile.
     */
    boolean acceptPeer(byte[] peerKey) {
        boolean accepted;
        try {
            accepted = handler.acceptRemoteKey(this, peerKey.clone());
        } catch (RuntimeException e) {
            handlerFailed("acceptRemoteKey", e);
            return false;
        }
        if (!accepted) {
            closeNow(CloseReason.of(Kind.KEY_REJECTED, "the peer's static key " + Fingerprint.of(peerKey)
                    + " was rejected"));
        }
        return state instanceof Handshaking;
    }

    /** HANDSHAKE to OPEN: the handshake finished; tell the handler. Called by {@link HandshakePhase}. */
    void becomeOpen(TransportState transport, byte[] peerKey) {
        var handshaking = (Handshaking) state;
        handshaking.handshakeTimer().cancel();
        established = transport;
        state = new Open(this, new TransportPhase(this, transport, options.rekeyInterval(), buffers.inPlain),
                loop.nanoTime());
        writer.requestFlush();
        if (LOG.enabled(Level.DEBUG)) {
            LOG.debug("handshake_done", "side", client ? "client" : "server", "addr", remoteAddress,
                    "peer", Fingerprint.of(peerKey));
        }
        try {
            handler.onReady(this);
        } catch (RuntimeException e) {
            handlerFailed("onReady", e);
        }
    }

    /** A transport message decrypted: the connection is not idle. Called by {@link TransportPhase}. */
    void frameArrived() {
        if (state instanceof Open open) {
            open.frameArrived(loop.nanoTime());
        }
    }

    /** Hands one inbound frame to the handler. */
    void deliver(Frame frame) {
        try {
            handler.onFrame(this, frame);
        } catch (RuntimeException e) {
            handlerFailed("onFrame", e);
        }
    }

    // ---- timers and closing, loop thread -------------------------------------------------------

    private void onHandshakeTimeout() {
        if (state instanceof Connecting || state instanceof Handshaking) {
            closeNow(CloseReason.of(Kind.HANDSHAKE_TIMEOUT, "handshake did not finish within "
                    + describe(options.handshakeTimeout())));
        }
    }

    /** Whether the connection has gone quiet and holds no cipher objects; loop thread (tests). */
    boolean isQuiet() {
        return state instanceof Open open && open.isQuiet();
    }

    static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private void handlerFailed(String method, RuntimeException e) {
        LOG.warn(e, "handler_failed", "method", method, "addr", remoteAddress);
        closeNow(new CloseReason(Kind.HANDLER_ERROR, "ConnectionHandler." + method + " threw "
                + e.getClass().getSimpleName(), e));
    }

    /**
     * OPEN to CLOSING: stops reading frames, flushes, sends FIN, waits for the peer's EOF; bounded
     * by closeFlushTimeout. Before OPEN it closes at once; once closing or closed it does nothing.
     */
    @Override
    void beginClosing(CloseReason reason) {
        switch (state) {
            case Open open -> {
                open.cancelTimer();
                reader.clear();
                state = new Closing(open.transport, reason,
                        loop.schedule(options.closeFlushTimeout(), this::onCloseTimeout));
                setInterest(SelectionKey.OP_READ, true);
                writer.requestFlush();
            }
            case Connecting c -> closeNow(reason);
            case Handshaking h -> closeNow(reason);
            case Closing c -> { }
            case FinSent f -> { }
            case Closed c -> { }
        }
    }

    /** CLOSING to FIN_SENT: everything queued was written and the output shut down. */
    void finSent(Closing closing) {
        state = new FinSent(closing.transport(), closing.reason(), closing.closeTimer());
    }

    private void onCloseTimeout() {
        switch (state) {
            case Closing c -> closeNow(CloseReason.of(Kind.FLUSH_TIMEOUT, "peer did not take the queued bytes within "
                    + describe(options.closeFlushTimeout()) + " (closing because " + c.reason() + ")"));
            case FinSent f -> closeNow(f.reason());
            case Connecting c -> { }
            case Handshaking h -> { }
            case Open o -> { }
            case Closed c -> { }
        }
    }

    /** Any state to CLOSED: closes the socket, zeroes the keys, and tells the handler once. */
    @Override
    void closeNow(CloseReason reason) {
        ConnectionState before = state;
        if (before instanceof Closed) {
            return;
        }
        state = new Closed(reason);
        switch (before) {
            case Connecting c -> c.handshakeTimer().cancel();
            case Handshaking h -> h.handshakeTimer().cancel();
            case Open o -> o.cancelTimer();
            case Closing c -> c.closeTimer().cancel();
            case FinSent f -> f.closeTimer().cancel();
            case Closed c -> { }
        }
        if (key != null) {
            key.cancel();
        }
        closeQuietly(channel);
        outbound.discard();
        reader.clear();
        TransportPhase transport = transport(before);
        if (transport != null) {
            transport.close();
        }
        if (client) {
            localStatic.close(); // the client's private copy of the device key
        }
        if (release != null) {
            Runnable r = release;
            release = null;
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn(e, "release_failed", "addr", remoteAddress);
            }
        }
        LOG.debug("connection_closed", "side", client ? "client" : "server", "addr", remoteAddress,
                "reason", reason.kind(), "detail", reason.detail());
        if (handler != null) {
            try {
                handler.onClosed(this, reason);
            } catch (RuntimeException e) {
                LOG.warn(e, "handler_failed", "method", "onClosed", "addr", remoteAddress);
            }
        }
    }

    @Override
    public void onLoopShutdown() {
        TransportPhase transport = state instanceof Open || state instanceof Closing ? transport(state) : null;
        if (transport != null) {
            try {
                outbound.flush(channel, transport.sendCipher(), buffers);
            } catch (IOException | ProtocolException e) {
                LOG.debug("final_flush_failed", "addr", remoteAddress);
            }
        }
        closeNow(CloseReason.of(Kind.SHUTDOWN, "event loop " + loop.name() + " shut down"));
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            LOG.debug(e, "socket_close_failed");
        }
    }

    @Override
    public String toString() {
        return "Connection[" + (client ? "client" : "server") + ", " + remoteAddress + ", " + state.name() + "]";
    }
}
