package crumbhub.server.net;

import crumbhub.server.config.Rate;
import crumbhub.server.core.Counters;
import crumbhub.server.core.Peer;
import crumbhub.server.core.RequestLimiter;
import crumbhub.server.core.ServerCore;
import crumbhub.server.core.Session;
import crumbhub.wire.log.Log;
import crumbhub.wire.CloseReason;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.EncodedFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;
import crumbhub.wire.KeyFrame;
import crumbhub.wire.loop.Cancellable;
import crumbhub.wire.loop.EventLoop;
import crumbhub.wire.net.Connection;
import crumbhub.wire.net.ConnectionHandler;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Binds one Noise connection to a core {@link Session}. Runs on the connection's loop thread
 * and never blocks: frames are handed to {@link ServerCore#received}, which answers PING in
 * place and queues everything else for the core thread. The wire layer enforces the handshake
 * and idle timeouts (protocol §1); this handler adds the authentication timeout and the
 * per-connection request rate (a {@link RequestLimiter} on this loop thread's clock).
 */
final class ClientHandler implements ConnectionHandler {
    private static final Log LOG = Log.get("crumbhub.server.net");

    private final ServerCore core;
    private final Duration authTimeout;
    private final RequestLimiter limiter;
    /** File chunks one in 16 of which count against the connection's rate (docs/server.md "Files"). */
    private static final int FILE_CHUNKS_PER_REQUEST = 16;
    private int fileChunks;
    /** KEYS_PUBLISH costs three signature checks (~2 ms) on this loop thread: its own, tighter rate. */
    private final Rate keyUploadRate;
    /** The limiter of {@link #keyUploadRate}, made at the first upload: most connections never upload. */
    private RequestLimiter keyUploads;
    private final Counters counters;
    private Session session;
    /**
     * The authentication deadline; cancelled when the connection closes, so a closed connection
     * is not kept alive by its timer for the rest of the auth timeout (a flood of short
     * connections would otherwise pin thousands of them in memory).
     */
    private Cancellable authTimer;

    /** Created for each accepted connection, before its handshake. */
    ClientHandler(ServerCore core, Duration authTimeout, Rate requests, Rate keyUploads, Counters counters) {
        this.core = core;
        this.authTimeout = authTimeout;
        this.limiter = new RequestLimiter(requests);
        this.keyUploadRate = keyUploads;
        this.counters = counters;
        counters.connectionsOpened.increment();
    }

    @Override
    public void onReady(Connection c) {
        session = core.connected(new ConnectionPeer(c));
        c.attach(session);
        authTimer = c.loop().schedule(authTimeout, () -> {
            if (c.isOpen() && !ServerCore.authenticated(session)) {
                c.send(ControlFrame.Error.of(0, ErrorCode.UNAUTHORIZED, "no login within " + authTimeout.toSeconds() + " s"));
                c.closeAfterFlush();
                LOG.debug("auth_timeout", "addr", ConnectionPeer.host(c.remoteAddress()));
            }
        });
    }

    @Override
    public void onFrame(Connection c, Frame frame) {
        long now = c.loop().nanoTime();
        RequestLimiter.Verdict verdict = (frame instanceof crumbhub.wire.FileFrame.FileAppend || frame instanceof crumbhub.wire.FileFrame.FileRead)
                && ++fileChunks % FILE_CHUNKS_PER_REQUEST != 0 ? RequestLimiter.Verdict.ADMIT : limiter.check(now);
        if (verdict == RequestLimiter.Verdict.ADMIT && (frame instanceof KeyFrame.KeysPublish
                || frame instanceof crumbhub.wire.KemKeyFrame.KemPreKeysPublish)) {
            if (keyUploads == null) {
                keyUploads = new RequestLimiter(keyUploadRate);
            }
            verdict = keyUploads.check(now);
        }
        switch (verdict) {
            case ADMIT -> core.received(session, frame);
            case REFUSE -> c.send(ControlFrame.Error.of(frame.requestId(), ErrorCode.THROTTLED,
                    "too many requests on this connection; slow down"));
            case CLOSE -> {
                c.send(ControlFrame.Error.of(frame.requestId(), ErrorCode.THROTTLED,
                        "too many requests on this connection; closing it"));
                c.closeAfterFlush();
                LOG.warn("connection_closed", "addr", ConnectionPeer.host(c.remoteAddress()), "reason",
                        "request_flood");
            }
        }
    }

    @Override
    public void onWritabilityChanged(Connection c, boolean writable) {
        if (writable && session != null) {
            core.writable(session);
        }
    }

    @Override
    public void onClosed(Connection c, CloseReason reason) {
        if (authTimer != null) {
            authTimer.cancel();
        }
        counters.connectionsClosed.increment();
        if (session != null) {
            core.disconnected(session);
        } else if (reason.kind() != CloseReason.Kind.LOCAL && reason.kind() != CloseReason.Kind.SHUTDOWN) {
            counters.handshakeFailures.increment();
        }
        if (LOG.enabled(System.Logger.Level.DEBUG)) {
            LOG.debug("connection_closed", "addr", ConnectionPeer.host(c.remoteAddress()), "reason", reason.kind(),
                    "detail", reason.detail());
        }
    }

    /** The core's view of a connection. */
    private static final class ConnectionPeer implements Peer {
        private final Connection c;

        ConnectionPeer(Connection c) {
            this.c = c;
        }

        static String host(InetSocketAddress a) {
            return AddressKey.of(a);
        }

        @Override
        public boolean send(Frame frame) {
            return c.send(frame);
        }

        @Override
        public boolean send(EncodedFrame frame) {
            return c.send(frame);
        }

        @Override
        public void close() {
            c.closeAfterFlush();
        }

        @Override
        public boolean congested() {
            return !c.isWritable();
        }

        @Override
        public long outboundBytes() {
            return c.outboundBytes();
        }

        @Override
        public byte[] remoteStatic() {
            return c.remoteStatic(); // a copy
        }

        @Override
        public String remoteHost() {
            return host(c.remoteAddress()); // made when asked: authentication and logs only
        }

        @Override
        public EventLoop loop() {
            return c.loop();
        }
    }
}
