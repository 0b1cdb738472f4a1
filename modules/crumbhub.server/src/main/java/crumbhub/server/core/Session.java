package crumbhub.server.core;

import crumbhub.server.domain.Device;

/**
 * The core's state for one connection (protocol §3). Created when the handshake finished,
 * so it starts in AUTH.
 *
 * <pre>
 *   AUTH --(REGISTER/LOGIN/RESUME ok)--> READY --(close, timeout, revoke, ban)--> CLOSING
 *     \________________(close, auth timeout)______________________________________/^
 * </pre>
 *
 * The delivery feed of a READY session:
 * <pre>
 *   QUIET --SYNC--> CATCHING_UP --(caught up: SYNC_DONE)--> LIVE
 *                       ^                                     |
 *                       +------(outbound over its bound)------+
 * </pre>
 * Fields are owned by the core thread except {@link #phase}, which the network thread reads for
 * the auth timeout.
 */
public final class Session {
    public enum Phase { AUTH, READY, CLOSING }

    enum Feed { QUIET, CATCHING_UP, LIVE }

    final Peer peer;
    final long id;
    volatile Phase phase = Phase.AUTH;
    /** A REGISTER/LOGIN/RESUME is being checked; further auth requests are refused meanwhile. */
    boolean authPending;
    Device device;
    Feed feed = Feed.QUIET;
    /** Highest seq pushed on this connection. */
    long sentSeq;
    /** Request id of the SYNC being answered, or 0. */
    int syncRequestId;
    /** DELIVERs pushed for the SYNC being answered. */
    int syncDelivered;
    /** A catch-up continuation is queued on the core, so no second one is needed. */
    boolean pumpQueued;

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

    @Override
    public String toString() {
        return "Session[" + id + ", " + phase + (device == null ? "" : ", " + device) + "]";
    }
}
