package crumbhub.wire.net;

import crumbhub.crypto.Fingerprint;
import crumbhub.crypto.X25519KeyPair;
import crumbhub.crypto.noise.CipherState;
import crumbhub.crypto.noise.NoiseException;
import crumbhub.crypto.noise.TransportState;
import crumbhub.wire.CloseReason;
import crumbhub.wire.CloseReason.Kind;
import crumbhub.wire.ConnectionClosedException;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;
import crumbhub.wire.FrameCodec;
import crumbhub.wire.MalformedFrameException;
import crumbhub.wire.Protocol;
import crumbhub.wire.ProtocolException;
import crumbhub.wire.WireException;
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
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one state machine behind every {@link Connection}, client or server side; its lifecycle is
 * drawn in {@link Connection}. All fields without {@code volatile} or atomics belong to the loop
 * thread. Every failure funnels into {@link #closeNow} (or {@link #beginClosing} for a malformed
 * frame on the server), the one place that decides what a failure does to the connection.
 */
final class NoiseConnection implements Connection, IoHandler {
    private static final System.Logger LOG = System.getLogger(NoiseConnection.class.getName());
    /** Receive nonce above which the connection closes (§1: before 2^64 − 1). */
    private static final long NONCE_LIMIT = 0xFFFF_FFFF_FFFF_FFFEL;
    /** Smallest transport message: a tag and one empty frame with its length field. */
    private static final int MIN_TRANSPORT_MESSAGE = Protocol.TAG_LENGTH + FrameCodec.LENGTH_FIELD
            + Protocol.MIN_FRAME_LENGTH;
    /** Reads while closing that are thrown away per readiness event. */
    private static final int MAX_DISCARD_READS = 16;
    /** Characters of a malformed-frame explanation sent back in ERROR (TEXT allows 512 bytes). */
    private static final int MAX_ERROR_TEXT = 200;

    private enum State { CONNECTING, HANDSHAKE, OPEN, CLOSING, CLOSED }

    private final EventLoop loop;
    private final SocketChannel channel;
    private final boolean client;
    private final ConnectionOptions options;
    private final X25519KeyPair localStatic;
    private final InetSocketAddress remoteAddress;
    private final Inbound inbound = new Inbound();
    private final Outbound outbound;
    private final Queue<Frame> handoff = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean handoffScheduled = new AtomicBoolean();
    private final Runnable flushTask = this::flush;
    private final Runnable drainTask = this::drainHandoff;
    private final Runnable idleTask = this::checkIdle;
    private final Inbound.Sink sink = new Sink();

    private ConnectionHandler handler;
    private SelectionKey key;
    private LoopBuffers buffers;
    private State state;
    private Handshake handshake;
    private TransportState transport;
    private CipherState sendCipher;
    private CipherState receiveCipher;
    private boolean flushScheduled;
    private boolean readPaused;
    private boolean outputShut;
    private boolean notifiedWritable = true;
    private CloseReason closingReason;
    private Cancellable handshakeTimer;
    private Cancellable idleTimer;
    private Cancellable closeTimer;
    private long lastFrameNanos;
    private long messagesReceived;

    private volatile boolean acceptingFrames = true;
    private volatile boolean writable = true;
    private volatile byte[] remoteStatic;
    private volatile byte[] handshakeHash;
    private volatile CloseReason closeReason;
    private volatile Object attachment;

    private NoiseConnection(EventLoop loop, SocketChannel channel, boolean client, X25519KeyPair localStatic,
            InetSocketAddress remoteAddress, ConnectionOptions options) {
        this.loop = loop;
        this.channel = channel;
        this.client = client;
        this.localStatic = localStatic;
        this.remoteAddress = remoteAddress;
        this.options = options;
        this.outbound = new Outbound(options.rekeyInterval());
    }

    /** Takes over an accepted socket. Loop thread of {@code loop}; {@code serverKey} is that loop's copy. */
    static void accept(EventLoop loop, SocketChannel channel, X25519KeyPair serverKey,
            ConnectionHandler.Factory factory, ConnectionOptions options) {
        InetSocketAddress remote;
        try {
            remote = (InetSocketAddress) channel.getRemoteAddress();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "event=accept_failed reason=no_remote_address");
            closeQuietly(channel);
            return;
        }
        var c = new NoiseConnection(loop, channel, false, serverKey, remote, options);
        c.state = State.HANDSHAKE;
        try {
            c.handler = Objects.requireNonNull(factory.create(c), "ConnectionHandler.Factory returned null");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "event=handler_factory_failed addr=" + remote, e);
            c.closeNow(new CloseReason(Kind.HANDLER_ERROR, "handler factory failed", e));
            return;
        }
        try {
            c.configure();
            c.handshake = Handshake.responder(serverKey, options.random());
            c.key = loop.register(channel, SelectionKey.OP_READ, c);
        } catch (IOException | RuntimeException e) {
            c.closeNow(new CloseReason(loop.isShuttingDown() ? Kind.SHUTDOWN : Kind.IO_ERROR,
                    "cannot register the connection: " + e.getMessage(), e));
        }
    }

    /** Opens a socket and starts connecting on {@code loop}; the connection owns {@code deviceKey}. */
    static NoiseConnection connect(InetSocketAddress server, EventLoop loop, X25519KeyPair deviceKey,
            ConnectionHandler handler, ConnectionOptions options) throws IOException {
        SocketChannel ch = SocketChannel.open();
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
        handshake = Handshake.initiator(localStatic, options.random());
        outbound.addHandshakeMessage(handshake.firstMessage());
        key.interestOps(SelectionKey.OP_READ);
        flush();
    }

    // ---- Connection API, any thread ------------------------------------------------------------

    @Override
    public boolean send(Frame frame) {
        Objects.requireNonNull(frame, "frame");
        if (!acceptingFrames) {
            return false;
        }
        int size = FrameCodec.encodedLength(frame);
        if (!outbound.tryReserve(size, options.outboundHardLimit())) {
            return false;
        }
        if (loop.inLoop()) {
            return enqueue(frame, size);
        }
        handoff.add(frame);
        if (handoffScheduled.compareAndSet(false, true)) {
            try {
                loop.execute(drainTask);
            } catch (RejectedExecutionException e) {
                handoff.clear();
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        onLoop(() -> closeNow(CloseReason.of(Kind.LOCAL, "closed by this side")));
    }

    @Override
    public void closeAfterFlush() {
        onLoop(() -> beginClosing(CloseReason.of(Kind.LOCAL, "closed by this side")));
    }

    private void onLoop(Runnable r) {
        if (loop.inLoop()) {
            r.run();
            return;
        }
        try {
            loop.execute(r);
        } catch (RejectedExecutionException e) {
            LOG.log(Level.DEBUG, "event=close_after_loop_shutdown addr=" + remoteAddress);
        }
    }

    @Override
    public boolean isOpen() {
        return acceptingFrames && remoteStatic != null;
    }

    @Override
    public byte[] remoteStatic() {
        byte[] k = remoteStatic;
        return k == null ? null : k.clone();
    }

    @Override
    public byte[] handshakeHash() {
        byte[] h = handshakeHash;
        return h == null ? null : h.clone();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public long outboundBytes() {
        return outbound.bytes();
    }

    @Override
    public boolean isWritable() {
        return writable && outbound.bytes() <= options.outboundSoftLimit();
    }

    @Override
    public Object attachment() {
        return attachment;
    }

    @Override
    public void attach(Object attachment) {
        this.attachment = attachment;
    }

    @Override
    public CloseReason closeReason() {
        return closeReason;
    }

    /** Transport messages sent and received so far; read on the loop thread (tests). */
    long messagesSent() {
        return outbound.messagesSent();
    }

    long messagesReceived() {
        return messagesReceived;
    }

    // ---- outbound, loop thread -----------------------------------------------------------------

    private boolean enqueue(Frame frame, int size) {
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

    private void drainHandoff() {
        handoffScheduled.set(false);
        Frame f;
        while ((f = handoff.poll()) != null) {
            enqueue(f, FrameCodec.encodedLength(f));
        }
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
            boolean drained = outbound.flush(channel, state == State.HANDSHAKE ? null : sendCipher, buffers);
            setInterest(SelectionKey.OP_WRITE, !drained);
            updateWritability();
            if (state == State.CLOSING && drained && !outbound.hasFrames() && handoff.isEmpty()) {
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
            if (!inbound.readFrom(channel, buffers.read, sink)) {
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

    private final class Sink implements Inbound.Sink {
        @Override
        public void checkLength(int length) throws ProtocolException {
            if (state == State.HANDSHAKE) {
                if (length != handshake.expectedLength()) {
                    throw new ProtocolException(Kind.HANDSHAKE_FAILED, "handshake message "
                            + handshake.expectedNumber() + " announced " + length + " bytes, expected "
                            + handshake.expectedLength() + " (not a CrumbHub/1 peer?)");
                }
            } else if (length < MIN_TRANSPORT_MESSAGE) {
                throw new ProtocolException(Kind.PROTOCOL_ERROR, "transport message of " + length
                        + " bytes cannot hold a frame");
            }
        }

        @Override
        public void onMessage(ByteBuffer message) throws WireException {
            if (state == State.HANDSHAKE) {
                byte[] m = new byte[message.remaining()];
                message.get(m);
                onHandshakeMessage(m);
            } else if (state == State.OPEN) {
                onTransportMessage(message);
            }
        }

        @Override
        public boolean accepting() {
            return state == State.HANDSHAKE || state == State.OPEN;
        }
    }

    private void onHandshakeMessage(byte[] message) throws ProtocolException {
        switch (handshake.read(message)) {
            case Handshake.Step.Reply r -> {
                outbound.addHandshakeMessage(r.message());
                requestFlush();
            }
            case Handshake.Step.PeerKnown p -> {
                boolean accepted;
                try {
                    accepted = handler.acceptRemoteKey(this, p.remoteStatic().clone());
                } catch (RuntimeException e) {
                    handlerFailed("acceptRemoteKey", e);
                    return;
                }
                if (!accepted) {
                    closeNow(CloseReason.of(Kind.KEY_REJECTED, "the peer's static key "
                            + Fingerprint.of(p.remoteStatic()) + " was rejected"));
                    return;
                }
                if (client) {
                    outbound.addHandshakeMessage(handshake.finalMessage());
                }
                becomeOpen(p.remoteStatic());
            }
        }
    }

    private void becomeOpen(byte[] peerKey) {
        transport = handshake.finish();
        handshake = null;
        sendCipher = transport.send();
        receiveCipher = transport.receive();
        handshakeHash = transport.handshakeHash();
        remoteStatic = peerKey;
        state = State.OPEN;
        handshakeTimer.cancel();
        lastFrameNanos = loop.nanoTime();
        scheduleIdle(options.idleTimeout().toNanos());
        requestFlush();
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "event=handshake_done side=" + (client ? "client" : "server") + " addr="
                    + remoteAddress + " peer=" + Fingerprint.of(peerKey));
        }
        try {
            handler.onReady(this);
        } catch (RuntimeException e) {
            handlerFailed("onReady", e);
        }
    }

    private void onTransportMessage(ByteBuffer message) throws WireException {
        if (Long.compareUnsigned(receiveCipher.nonce(), NONCE_LIMIT) >= 0) {
            throw new ProtocolException(Kind.NONCE_EXHAUSTED, "receive nonce exhausted");
        }
        ByteBuffer plain = buffers.inPlain.clear();
        try {
            receiveCipher.decrypt(message, plain);
        } catch (NoiseException e) {
            throw new ProtocolException(Kind.PROTOCOL_ERROR, "transport message failed authentication (garbage, "
                    + "tampering or a lying length)");
        }
        messagesReceived++;
        if (Long.remainderUnsigned(receiveCipher.nonce(), options.rekeyInterval()) == 0) {
            receiveCipher.rekey(); // §1: after every rekeyInterval messages in this direction
        }
        plain.flip();
        lastFrameNanos = loop.nanoTime();
        while (plain.hasRemaining() && state == State.OPEN) {
            Frame frame = FrameCodec.decode(plain);
            if (frame == null) {
                throw new MalformedFrameException(0, "a frame runs past the end of its Noise message");
            }
            try {
                handler.onFrame(this, frame);
            } catch (RuntimeException e) {
                handlerFailed("onFrame", e);
            }
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
        Frame error = Frame.Error.of(e.requestId(), ErrorCode.MALFORMED, text);
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

    private void scheduleIdle(long delayNanos) {
        if (!options.idleTimeout().isZero()) {
            idleTimer = loop.schedule(Duration.ofNanos(delayNanos), idleTask);
        }
    }

    private void checkIdle() {
        if (state != State.OPEN) {
            return;
        }
        long limit = options.idleTimeout().toNanos();
        long idle = loop.nanoTime() - lastFrameNanos;
        if (idle >= limit && !readPaused) {
            closeNow(CloseReason.of(Kind.IDLE_TIMEOUT, "no frame for " + describe(options.idleTimeout())));
        } else {
            scheduleIdle(idle >= limit ? limit : limit - idle);
        }
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private void handlerFailed(String method, RuntimeException e) {
        LOG.log(Level.WARNING, "event=handler_failed method=" + method + " addr=" + remoteAddress, e);
        closeNow(new CloseReason(Kind.HANDLER_ERROR, "ConnectionHandler." + method + " threw "
                + e.getClass().getSimpleName(), e));
    }

    /** Stops reading frames, flushes, sends FIN, waits for the peer's EOF; bounded by closeFlushTimeout. */
    private void beginClosing(CloseReason reason) {
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
    private void closeNow(CloseReason reason) {
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
        handoff.clear();
        inbound.clear();
        if (transport != null) {
            transport.close();
        }
        handshake = null;
        if (client) {
            localStatic.close(); // the client's private copy of the device key
        }
        Level level = reason.kind() == Kind.HANDLER_ERROR ? Level.WARNING : Level.DEBUG;
        if (LOG.isLoggable(level)) {
            LOG.log(level, "event=connection_closed side=" + (client ? "client" : "server") + " addr="
                    + remoteAddress + " reason=" + reason.kind() + " detail=\"" + reason.detail() + "\"");
        }
        if (handler != null) {
            try {
                handler.onClosed(this, reason);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "event=handler_failed method=onClosed addr=" + remoteAddress, e);
            }
        }
    }

    @Override
    public void onLoopShutdown() {
        if (state == State.OPEN || state == State.CLOSING) {
            try {
                outbound.flush(channel, sendCipher, buffers);
            } catch (IOException | ProtocolException e) {
                LOG.log(Level.DEBUG, "event=final_flush_failed addr=" + remoteAddress);
            }
        }
        closeNow(CloseReason.of(Kind.SHUTDOWN, "event loop " + loop.name() + " shut down"));
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "event=socket_close_failed", e);
        }
    }

    @Override
    public String toString() {
        return "Connection[" + (client ? "client" : "server") + ", " + remoteAddress + ", " + state + "]";
    }
}
