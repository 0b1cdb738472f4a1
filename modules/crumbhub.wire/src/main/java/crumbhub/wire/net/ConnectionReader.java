package crumbhub.wire.net;

import crumbhub.wire.CloseReason;
import crumbhub.wire.CloseReason.Kind;
import crumbhub.wire.ConnectionClosedException;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;
import crumbhub.wire.FrameCodec;
import crumbhub.wire.MalformedFrameException;
import crumbhub.wire.ProtocolException;
import crumbhub.wire.WireException;
import crumbhub.wire.net.ConnectionState.Closed;
import crumbhub.wire.net.ConnectionState.Closing;
import crumbhub.wire.net.ConnectionState.Connecting;
import crumbhub.wire.net.ConnectionState.FinSent;
import crumbhub.wire.net.ConnectionState.Handshaking;
import crumbhub.wire.net.ConnectionState.Open;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The read path of one {@link NoiseConnection}: what a readable socket means in each
 * {@link ConnectionState}. While handshaking or open, whole Noise messages go to the state's
 * phase; while closing, what the peer sends is read and dropped until its EOF. Every failure
 * goes to the connection's {@code closeNow}, a malformed frame on an open server connection to
 * {@code beginClosing} after {@code ERROR malformed} was queued. Loop thread only.
 */
final class ConnectionReader implements Inbound.Sink {
    /** Reads while closing that are thrown away per readiness event. */
    private static final int MAX_DISCARD_READS = 16;
    /** Characters of a malformed-frame explanation sent back in ERROR (TEXT allows 512 bytes). */
    private static final int MAX_ERROR_TEXT = 200;

    private final NoiseConnection connection;
    private final Inbound inbound = new Inbound();

    ConnectionReader(NoiseConnection connection) {
        this.connection = connection;
    }

    /** The socket is readable. */
    void onReadable() {
        switch (connection.state) {
            case Closing c -> discardInput(c.reason());
            case FinSent f -> discardInput(f.reason());
            case Closed c -> { }
            case Connecting c -> read();
            case Handshaking h -> read();
            case Open o -> read();
        }
    }

    /** Drops any partly received message: the connection stopped reading. */
    void clear() {
        inbound.clear();
    }

    private void read() {
        try {
            if (!inbound.readFrom(connection.channel, connection.buffers.read, this)) {
                connection.closeNow(CloseReason.of(Kind.PEER_CLOSED, inbound.hasPartial()
                        ? "peer closed the connection in the middle of a message" : "peer closed the connection"));
            }
        } catch (IOException e) {
            connection.closeNow(new CloseReason(Kind.IO_ERROR, "read failed: " + e.getMessage(), e));
        } catch (WireException e) {
            switch (e) {
                case ProtocolException p -> connection.closeNow(p.reason());
                case MalformedFrameException m -> onMalformed(m);
                case ConnectionClosedException c -> connection.closeNow(c.reason());
            }
        }
    }

    /** The phase inbound messages go to; looked up per message, as the state may change between two. */
    private Phase phase() {
        ConnectionState s = connection.state;
        if (s instanceof Open open) {
            return open.transport;
        }
        if (s instanceof Handshaking h) {
            return h.phase();
        }
        throw new IllegalStateException("no inbound messages are handled in state " + s.name());
    }

    @Override
    public void checkLength(int length) throws ProtocolException {
        phase().checkLength(length);
    }

    @Override
    public void onMessage(ByteBuffer message) throws WireException {
        phase().onMessage(message);
    }

    @Override
    public boolean accepting() {
        return connection.isReading();
    }

    private void onMalformed(MalformedFrameException e) {
        CloseReason reason = CloseReason.of(Kind.MALFORMED_FRAME, e.getMessage());
        if (connection.client || !(connection.state instanceof Open)) {
            connection.closeNow(reason);
            return;
        }
        // §2: a malformed frame gets ERROR malformed, then the connection closes
        String text = e.getMessage().length() > MAX_ERROR_TEXT ? e.getMessage().substring(0, MAX_ERROR_TEXT)
                : e.getMessage();
        Frame error = ControlFrame.Error.of(e.requestId(), ErrorCode.MALFORMED, text);
        int size = FrameCodec.encodedLength(error);
        connection.outbound.tryReserve(size, Long.MAX_VALUE);
        connection.enqueue(error, size);
        connection.beginClosing(reason);
    }

    /** Reads and drops what the peer sends while closing; its EOF, or a read error, ends the connection. */
    private void discardInput(CloseReason closingReason) {
        try {
            for (int i = 0; i < MAX_DISCARD_READS; i++) {
                ByteBuffer b = connection.buffers.read.clear();
                int n = connection.channel.read(b);
                if (n < 0) {
                    connection.closeNow(closingReason);
                    return;
                }
                if (n == 0) {
                    return;
                }
            }
        } catch (IOException e) {
            connection.closeNow(closingReason);
        }
    }
}
