package crumbhub.wire.net;

import crumbhub.crypto.Fingerprint;
import crumbhub.crypto.X25519KeyPair;
import crumbhub.crypto.noise.TransportState;
import crumbhub.wire.CloseReason.Kind;
import crumbhub.wire.CloseReason;
import crumbhub.wire.ConnectionClosedException;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;
import crumbhub.wire.FrameCodec;
import crumbhub.wire.MalformedFrameException;
import crumbhub.wire.ProtocolException;
import crumbhub.wire.WireException;
import crumbhub.wire.log.Log;
import crumbhub.wire.loop.Cancellable;
import crumbhub.wire.loop.EventLoop;
import crumbhub.wire.loop.IoHandler;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;

/**
 * The one state machine behind every {@link Connection}, client or server side; its lifecycle is
 * drawn in {@link Connection}. Everything here belongs to the loop thread; the thread-safe surface
 * is {@link ConnectionBase}. Every failure funnels into {@link #closeNow} (or {@link #beginClosing}
 * for a malformed frame on the server), the one place that decides what a failure does to the
 * connection. Handler failures are logged at WARNING where they are caught; closes at DEBUG.
 */
final class NoiseConnection extends ConnectionBase implements IoHandler, Inbound.Sink {
    private static final Log LOG = Log.get(NoiseConnection.class.getName());
    /** Reads while closing that are thrown away per readiness event. */
    private static final int MAX_DISCARD_READS = 16;
    /** Characters of a malformed-frame explanation sent back in ERROR (TEXT allows 512 bytes). */
    private static final int MAX_ERROR_TEXT = 200;

    private enum State { CONNECTING, HANDSHAKE, OPEN, CLOSING, CLOSED }

    private final SocketChannel channel;
    private final boolean client;
    private final X25519KeyPair localStatic;
    private final Inbound inbound = new Inbound();
    private final Runnable flushTask = this::flush;

    private ConnectionHandler handler;
    private SelectionKey key;
    private LoopBuffers buffers;
    private State state;
    private Phase phase;
    private TransportPhase transport;
    private boolean flushScheduled;
    private boolean readPaused;
    private boolean outputShut;
    private boolean notifiedWritable = true;
    private CloseReason closingReason;
    private Cancellable handshakeTimer;
    /** The connection's one timer once open: idle timeout and going quiet. */
    private Cancellable idleTimer;
    /** When {@link #idleTimer} fires, on the loop's clock. */
    private long idleTimerDue;
    private Cancellable closeTimer;
    private long lastFrameNanos;
    /** Last transport message in or out. */
    private long lastActiveNanos;
    /** Cipher objects and empty queues dropped after {@link ConnectionOptions#quietAfter()} without traffic. */
    private boolean quiet;
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
        c.state = State.HANDSHAKE;
        try {
            c.handler = Objects.requireNonNull(factory.create(c), "ConnectionHandler.Factory returned null");
        } catch (RuntimeException e) {
            LOG.warn(e, "handler_factory_failed", "addr", remote);
            c.closeNow(new CloseReason(Kind.HANDLER_ERROR, "handler factory failed", e));
            return;
        }
        try {
            c.configure();
            c.phase = new HandshakePhase(c, Handshake.responder(serverKey, options.random()), false);
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
        c.state = State.CONNECTING;
        try {
            loop.execute(c::startConnect);
        } catch (RejectedExecutionException e) {
            closeQuietly(ch);
            deviceKey.close();
            throw new IOException("the event loop " + loop.name() + " has shut down", e);
        }
        return c;
    }

    private void startConnect() {
        try {
            configure();
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

    private void configure() throws IOException {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        buffers = LoopBuffers.get();
        handshakeTimer = loop.schedule(options.handshakeTimeout(), this::onHandshakeTimeout);
    }

    private void onConnected() throws ProtocolException {
        state = State.HANDSHAKE;
        Handshake handshake = Handshake.initiator(localStatic, options.random());
        phase = new HandshakePhase(this, handshake, true);
        outbound.addHandshakeMessage(handshake.firstMessage());
        key.interestOps(SelectionKey.OP_READ);
        flush();
    }

    /** Transport messages sent and received so far; read on the loop thread (tests). */
    long messagesSent() {
        return outbound.messagesSent();
    }

    long messagesReceived() {
        return transport == null ? 0 : transport.messagesReceived();
    }

    // ---- outbound, loop thread -----------------------------------------------------------------

    @Override
    boolean enqueue(Object frame, int size) {
        if (state == State.CLOSED || outputShut) {
            outbound.release(size);
            return false;
        }
        outbound.add(frame);
        if (outbound.bytes() > options.outboundSoftLimit()) {
            writable = false;
        }
        requestFlush();
        return true;
    }

    private void requestFlush() {
        if (!flushScheduled && state != State.CLOSED && state != State.CONNECTING) {
            flushScheduled = true;
            loop.runAtEndOfTick(flushTask);
        }
    }

    private void flush() {
        flushScheduled = false;
        if (state == State.CLOSED || state == State.CONNECTING || outputShut) {
            return;
        }
        try {
            long sentBefore = outbound.messagesSent();
            boolean drained = outbound.flush(channel, transport == null ? null : transport.sendCipher(), buffers);
            if (outbound.messagesSent() != sentBefore) {
                active(loop.nanoTime());
            }
            setInterest(SelectionKey.OP_WRITE, !drained);
            updateWritability();
            if (state == State.CLOSING && drained && !outbound.hasFrames() && !hasHandoff()) {
                channel.shutdownOutput();
                outputShut = true;
            }
        } catch (IOException e) {
            closeNow(new CloseReason(Kind.IO_ERROR, "write failed: " + e.getMessage(), e));
        } catch (ProtocolException e) {
            closeNow(e.reason());
        }
    }

    private void updateWritability() {
        long queued = outbound.bytes();
        if (writable && queued > options.outboundSoftLimit()) {
            writable = false;
        } else if (!writable && queued <= options.outboundSoftLimit() / 2) {
            writable = true;
        }
        if (state != State.OPEN || writable == notifiedWritable) {
            return;
        }
        notifiedWritable = writable;
        if (options.pauseReadingWhenUnwritable()) {
            readPaused = !writable;
            setInterest(SelectionKey.OP_READ, writable);
        }
        try {
            handler.onWritabilityChanged(this, writable);
        } catch (RuntimeException e) {
            handlerFailed("onWritabilityChanged", e);
        }
    }

    private void setInterest(int op, boolean on) {
        if (key == null || !key.isValid()) {
            return;
        }
        int ops = key.interestOps();
        int next = on ? ops | op : ops & ~op;
        if (next != ops) {
            key.interestOps(next);
        }
    }

    // ---- inbound, loop thread ------------------------------------------------------------------

    @Override
    public void onSelected(int readyOps) {
        if (state == State.CLOSED) {
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
            flush();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && state != State.CLOSED) {
            if (state == State.CLOSING) {
                discardInput();
            } else {
                read();
            }
        }
    }

    private void read() {
        try {
            if (!inbound.readFrom(channel, buffers.read, this)) {
                closeNow(CloseReason.of(Kind.PEER_CLOSED, inbound.hasPartial()
                        ? "peer closed the connection in the middle of a message" : "peer closed the connection"));
            }
        } catch (IOException e) {
            closeNow(new CloseReason(Kind.IO_ERROR, "read failed: " + e.getMessage(), e));
        } catch (WireException e) {
            switch (e) {
                case ProtocolException p -> closeNow(p.reason());
                case MalformedFrameException m -> onMalformed(m);
                case ConnectionClosedException c -> closeNow(c.reason());
            }
        }
    }

    /** Whether inbound messages are still being handled: false once closing or closed. */
    boolean isReading() {
        return state == State.HANDSHAKE || state == State.OPEN;
    }

    @Override
    public void checkLength(int length) throws ProtocolException {
        phase.checkLength(length);
    }

    @Override
    public void onMessage(ByteBuffer message) throws WireException {
        phase.onMessage(message);
    }

    @Override
    public boolean accepting() {
        return isReading();
    }

    /** Queues a handshake message ahead of any frame. Called by {@link HandshakePhase}. */
    void queueHandshakeMessage(byte[] message) {
        outbound.addHandshakeMessage(message);
        requestFlush();
    }

    /** Asks the handler about the peer's key; closes with KEY_REJECTED and returns false if refused. */
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
        return accepted;
    }

    /** The handshake finished: switch to the transport phase and tell the handler. */
    void becomeOpen(TransportState transport, byte[] peerKey) {
        var open = new TransportPhase(this, transport, options.rekeyInterval(), buffers.inPlain);
        phase = open;
        this.transport = open;
        established = transport;
        state = State.OPEN;
        handshakeTimer.cancel();
        long now = loop.nanoTime();
        lastFrameNanos = now;
        lastActiveNanos = now;
        armTimer(now);
        requestFlush();
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

    /** A transport message decrypted: the connection is not idle. */
    void frameArrived() {
        long now = loop.nanoTime();
        lastFrameNanos = now;
        active(now);
    }

    /** A transport message went either way at {@code now}. */
    private void active(long now) {
        lastActiveNanos = now;
        if (quiet) {
            quiet = false;
            // the timer may be set for the idle deadline, far off: bring it forward so that the
            // connection can go quiet again after this burst
            long quietDue = now + options.quietAfter().toNanos();
            if (idleTimer == null || idleTimerDue - quietDue > 0) {
                if (idleTimer != null) {
                    idleTimer.cancel();
                }
                armTimer(now);
            }
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

    private void onMalformed(MalformedFrameException e) {
        CloseReason reason = CloseReason.of(Kind.MALFORMED_FRAME, e.getMessage());
        if (client || state != State.OPEN) {
            closeNow(reason);
            return;
        }
        // §2: a malformed frame gets ERROR malformed, then the connection closes
        String text = e.getMessage().length() > MAX_ERROR_TEXT ? e.getMessage().substring(0, MAX_ERROR_TEXT)
                : e.getMessage();
        Frame error = ControlFrame.Error.of(e.requestId(), ErrorCode.MALFORMED, text);
        int size = FrameCodec.encodedLength(error);
        outbound.tryReserve(size, Long.MAX_VALUE);
        enqueue(error, size);
        beginClosing(reason);
    }

    private void discardInput() {
        try {
            for (int i = 0; i < MAX_DISCARD_READS; i++) {
                ByteBuffer b = buffers.read.clear();
                int n = channel.read(b);
                if (n < 0) {
                    closeNow(closingReason);
                    return;
                }
                if (n == 0) {
                    return;
                }
            }
        } catch (IOException e) {
            closeNow(closingReason);
        }
    }

    // ---- timers and closing, loop thread -------------------------------------------------------

    private void onHandshakeTimeout() {
        if (state == State.CONNECTING || state == State.HANDSHAKE) {
            closeNow(CloseReason.of(Kind.HANDSHAKE_TIMEOUT, "handshake did not finish within "
                    + describe(options.handshakeTimeout())));
        }
    }

    /** Sets the timer for the next idle-timeout check or the moment to go quiet, whichever is first. */
    private void armTimer(long now) {
        long delay = Long.MAX_VALUE;
        if (!options.idleTimeout().isZero()) {
            long limit = options.idleTimeout().toNanos();
            long idle = now - lastFrameNanos;
            delay = idle >= limit ? limit : limit - idle; // over the limit only while reading is paused
        }
        if (!quiet && !options.quietAfter().isZero()) {
            delay = Math.min(delay, Math.max(0, lastActiveNanos + options.quietAfter().toNanos() - now));
        }
        if (delay == Long.MAX_VALUE) {
            idleTimer = null;
            return;
        }
        idleTimerDue = now + delay;
        idleTimer = loop.schedule(Duration.ofNanos(delay), this::checkIdle);
    }

    private void checkIdle() {
        idleTimer = null;
        if (state != State.OPEN) {
            return;
        }
        long now = loop.nanoTime();
        if (!options.idleTimeout().isZero() && now - lastFrameNanos >= options.idleTimeout().toNanos()
                && !readPaused) {
            closeNow(CloseReason.of(Kind.IDLE_TIMEOUT, "no frame for " + describe(options.idleTimeout())));
            return;
        }
        if (!quiet && !options.quietAfter().isZero() && now - lastActiveNanos >= options.quietAfter().toNanos()) {
            goQuiet();
        }
        armTimer(now);
    }

    /** Drops what a quiet connection does not need until its next message (threading.md §4). */
    private void goQuiet() {
        quiet = true;
        transport.release();
        outbound.compact();
    }

    /** Whether the connection has gone quiet and holds no cipher objects; loop thread (tests). */
    boolean isQuiet() {
        return quiet;
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private void handlerFailed(String method, RuntimeException e) {
        LOG.warn(e, "handler_failed", "method", method, "addr", remoteAddress);
        closeNow(new CloseReason(Kind.HANDLER_ERROR, "ConnectionHandler." + method + " threw "
                + e.getClass().getSimpleName(), e));
    }

    /** Stops reading frames, flushes, sends FIN, waits for the peer's EOF; bounded by closeFlushTimeout. */
    @Override
    void beginClosing(CloseReason reason) {
        if (state == State.CLOSED || state == State.CLOSING) {
            return;
        }
        if (state != State.OPEN) {
            closeNow(reason);
            return;
        }
        state = State.CLOSING;
        acceptingFrames = false;
        closingReason = reason;
        if (idleTimer != null) {
            idleTimer.cancel();
        }
        inbound.clear();
        setInterest(SelectionKey.OP_READ, true);
        closeTimer = loop.schedule(options.closeFlushTimeout(), () -> closeNow(outputShut ? closingReason
                : CloseReason.of(Kind.FLUSH_TIMEOUT, "peer did not take the queued bytes within "
                        + describe(options.closeFlushTimeout()) + " (closing because " + closingReason + ")")));
        requestFlush();
    }

    /** Closes the socket, zeroes the keys, and tells the handler once. */
    @Override
    void closeNow(CloseReason reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        acceptingFrames = false;
        closeReason = reason;
        for (Cancellable t : new Cancellable[] {handshakeTimer, idleTimer, closeTimer}) {
            if (t != null) {
                t.cancel();
            }
        }
        if (key != null) {
            key.cancel();
        }
        closeQuietly(channel);
        outbound.discard();
        inbound.clear();
        if (transport != null) {
            transport.close();
        }
        phase = null;
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
        if (state == State.OPEN || state == State.CLOSING) {
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
        return "Connection[" + (client ? "client" : "server") + ", " + remoteAddress + ", " + state + "]";
    }
}
