package crumbhub.wire.net;

import crumbhub.wire.CloseReason;
import crumbhub.wire.EncodedFrame;
import crumbhub.wire.Frame;
import crumbhub.wire.loop.EventLoop;
import java.net.InetSocketAddress;

/**
 * One Noise-secured TCP connection (docs/protocol.md §1–§2), owned by one {@link EventLoop}: its
 * socket, handshake, cipher states and buffers are touched only on that loop's thread. The
 * methods here are safe from any thread unless they say otherwise.
 *
 * <pre>
 *                    (client)                 (server)
 *               Connecting(timer)               |
 *                       | TCP connected         | accepted, handler created by the Factory
 *                       v                       v
 *                  +---------------------------------+  connect failed, handshake timeout,
 *                  | Handshaking(phase, timer)       |  bad message, key rejected, wrong
 *                  +---------------------------------+  version, close(), closeAfterFlush()
 *                       | msg 3 sent / read: onReady            --------------------+
 *                       v                                                           |
 *                  +---------------------------------+  idle timeout, garbage,      |
 *                  | Open(transport, idle timer)     | -- decrypt failure, EOF, ----|
 *                  +---------------------------------+    I/O error, close()        |
 *                       | closeAfterFlush(), or a malformed frame (server)          |
 *                       v                                                           |
 *                  +---------------------------------+  flush timeout, EOF,         |
 *                  | Closing(reason): reads are      | -- I/O error, close() -------|
 *                  | discarded, queued frames sent   |                              |
 *                  +---------------------------------+                              |
 *                       | all sent: FIN                                             |
 *                       v                                                           |
 *                  +---------------------------------+                              |
 *                  | FinSent(reason): reads are      | -- I/O error, close() -------|
 *                  | discarded until the peer's EOF  |                              |
 *                  +---------------------------------+                              |
 *                       | peer's EOF, or close timeout: closed with the reason      |
 *                       v                                                           v
 *                  +--------------------------------------------------------------------+
 *                  |  Closed(reason): socket closed, keys zeroed, onClosed(reason) once |
 *                  +--------------------------------------------------------------------+
 * </pre>
 * Each box is one {@link ConnectionState} type with the data that exists only in that state.
 *
 * <p>Frames sent during one loop tick are coalesced into as few Noise messages as possible and
 * written with one gathering write at the end of the tick. A server-side connection answers a
 * malformed frame with {@code ERROR malformed} and closes after flushing it (§2).
 *
 * <p>Back-pressure: {@link #outboundBytes()} counts frames queued and ciphertext not yet taken by
 * the socket. Above {@link ConnectionOptions#outboundSoftLimit()} the connection is unwritable
 * (the handler hears of it); {@link #send} refuses frames that would pass
 * {@link ConnectionOptions#outboundHardLimit()}.
 */
public interface Connection {

    /**
     * Queues a frame. On the loop thread it joins the current tick's batch; from another thread it
     * is handed to the loop (frames from one thread keep their order). Frames queued before the
     * handshake finishes are sent right after it.
     *
     * @return false, and nothing is queued, if the connection is closing or closed or the frame
     *     would take the outbound buffer past its hard limit
     */
    boolean send(Frame frame);

    /**
     * Queues a frame encoded once for many connections (a room message's DELIVER): as
     * {@link #send(Frame)}, but the bytes are shared, not encoded again for this connection.
     *
     * @return false, and nothing is queued, if the connection is closing or closed or the frame
     *     would take the outbound buffer past its hard limit
     */
    boolean send(EncodedFrame frame);

    /** Closes at once; queued frames are dropped. Reason {@link CloseReason.Kind#LOCAL}. Idempotent. */
    void close();

    /**
     * Stops reading, sends what is queued, then closes (reason {@link CloseReason.Kind#LOCAL}); if
     * the peer does not take the bytes within {@link ConnectionOptions#closeFlushTimeout()}, closes
     * anyway. Idempotent.
     */
    void closeAfterFlush();

    /** Whether the handshake finished and the connection is neither closing nor closed. */
    boolean isOpen();

    /** A copy of the peer's 32-byte static key (the device key, or the server key), or null before the handshake finished. */
    byte[] remoteStatic();

    /** A copy of the Noise handshake hash (equal on both ends; a channel binding), or null before the handshake finished. */
    byte[] handshakeHash();

    InetSocketAddress remoteAddress();

    /** The loop that owns this connection and runs its handler. */
    EventLoop loop();

    /** Bytes queued for the peer: frames not yet encrypted plus ciphertext not yet written. */
    long outboundBytes();

    /** False while {@link #outboundBytes()} is above the soft limit (until it drains to half of it). */
    boolean isWritable();

    /** The object attached with {@link #attach}, or null. */
    Object attachment();

    /** Attaches an object, such as the server's session state for this connection. */
    void attach(Object attachment);

    /** Why the connection closed, or null while it is not closed. */
    CloseReason closeReason();
}
