package crumbhub.server.core;

import crumbhub.server.domain.Device;
import crumbhub.wire.MessageFrame;

/**
 * The core's state for one connection (protocol §3). Created when the handshake finished,
 * so it starts in AUTH. Its state changes only through the transition methods below, each
 * named after the event that causes it.
 *
 * <pre>
 *   AUTH --authenticated(device)--> READY --close()--> CLOSING
 *     \_____________________________close()_____________^
 * </pre>
 * While in AUTH, at most one credential is checked at a time ({@link #beginAuth()} ..
 * {@link #endAuth()}).
 *
 * The delivery feed of a READY session, moved by {@link Delivery}:
 * <pre>
 *   QUIET --startSync()--> CATCHING_UP --caughtUp(): SYNC_DONE--> LIVE
 *     ^                        ^                                   |
 *     |                        +--------------fellBehind()---------+
 *     +--------stopFeed() (detached)-------------------------------+
 * </pre>
 * Everything is owned by the core thread except {@link #phase()}, which the network thread
 * reads for the auth timeout.
 */
public final class Session {
    public enum Phase { AUTH, READY, CLOSING }

    enum Feed { QUIET, CATCHING_UP, LIVE }

    private final Peer peer;
    private final long id;
    private volatile Phase phase = Phase.AUTH;
    /** A REGISTER/LOGIN/RESUME is being checked; further auth requests are refused meanwhile. */
    private boolean authPending;
    private Device device;
    private Feed feed = Feed.QUIET;
    /** Highest seq pushed on this connection. */
    private long sentSeq;
    /** Request id of the SYNC being answered, or 0. */
    private int syncRequestId;
    /** DELIVERs pushed for the SYNC being answered. */
    private int syncDelivered;
    /** A catch-up continuation is queued on the core, so no second one is needed. */
    private boolean pumpQueued;

    Session(Peer peer, long id) {
        this.peer = peer;
        this.id = id;
    }

    public Phase phase() {
        return phase;
    }

    public Peer peer() {
        return peer;
    }

    boolean isReady() {
        return phase == Phase.READY;
    }

    boolean isClosing() {
        return phase == Phase.CLOSING;
    }

    /** The authenticated device; null before READY. */
    Device device() {
        return device;
    }

    // ---- authentication ----

    /** Whether a credential is being checked. */
    boolean authPending() {
        return authPending;
    }

    /** A credential check starts; only when none is running. */
    void beginAuth() {
        if (authPending) {
            throw new IllegalStateException("a credential check is already running");
        }
        authPending = true;
    }

    /** The credential check ended, with or without success. */
    void endAuth() {
        authPending = false;
    }

    /** AUTH to READY, bound to {@code d}. */
    void authenticated(Device d) {
        if (phase != Phase.AUTH) {
            throw new IllegalStateException("authenticated in " + phase);
        }
        device = d;
        phase = Phase.READY;
    }

    /**
     * The connection goes away (closed by either side, revoked, banned, rolled back, shut down):
     * no further request is handled and nothing more is pushed. True if it was READY.
     */
    boolean close() {
        boolean wasReady = phase == Phase.READY;
        phase = Phase.CLOSING;
        return wasReady;
    }

    /** After a rollback the device is a restored object: the session follows it. */
    void rebind(Device restored) {
        device = restored;
    }

    // ---- delivery feed, for Delivery ----

    Feed feed() {
        return feed;
    }

    long sentSeq() {
        return sentSeq;
    }

    /** Whether a SYNC is being answered. */
    boolean syncing() {
        return syncRequestId != 0;
    }

    boolean pumpQueued() {
        return pumpQueued;
    }

    /** A SYNC starts: replay from the device's cursor. */
    void startSync(int requestId) {
        feed = Feed.CATCHING_UP;
        sentSeq = device.cursor();
        syncRequestId = requestId;
        syncDelivered = 0;
    }

    /** Message {@code seq} was queued on the connection. */
    void pushed(long seq, boolean catchingUp) {
        sentSeq = seq;
        if (catchingUp && syncRequestId != 0) {
            syncDelivered++;
        }
    }

    /** A LIVE session could not take a push (congested, or over its bound): it catches up later. */
    void fellBehind() {
        feed = Feed.CATCHING_UP;
    }

    /** A catch-up continuation is queued, or has started running. */
    void pumpQueued(boolean queued) {
        pumpQueued = queued;
    }

    /** Caught up: LIVE from now on. Returns the SYNC_DONE owed to the SYNC being answered, or null. */
    MessageFrame.SyncDone caughtUp() {
        feed = Feed.LIVE;
        if (syncRequestId == 0) {
            return null;
        }
        var done = new MessageFrame.SyncDone(syncRequestId, syncDelivered, Math.max(sentSeq, device.cursor()));
        syncRequestId = 0;
        return done;
    }

    /** Detached from delivery: nothing is pushed until the next SYNC. */
    void stopFeed() {
        feed = Feed.QUIET;
    }

    @Override
    public String toString() {
        return "Session[" + id + ", " + phase + (device == null ? "" : ", " + device) + "]";
    }
}
