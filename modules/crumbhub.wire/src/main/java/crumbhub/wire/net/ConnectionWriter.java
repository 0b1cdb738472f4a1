package crumbhub.wire.net;

import crumbhub.wire.CloseReason;
import crumbhub.wire.CloseReason.Kind;
import crumbhub.wire.ProtocolException;
import crumbhub.wire.net.ConnectionState.Closing;
import crumbhub.wire.net.ConnectionState.Handshaking;
import crumbhub.wire.net.ConnectionState.Open;
import java.io.IOException;
import java.nio.channels.SelectionKey;

/**
 * The write path of one {@link NoiseConnection}: one flush at the end of a tick in which
 * anything was queued (docs/threading.md §4), writability with hysteresis and its notice to the
 * handler, and, while closing, the FIN once everything queued was written. Handshake messages
 * leave while handshaking, frames once open. Every failure goes to the connection's
 * {@code closeNow}. Loop thread only.
 */
final class ConnectionWriter {
    private final NoiseConnection connection;
    private final Runnable flushTask = this::flush;
    /** A flush is queued for the end of this tick. */
    private boolean flushScheduled;

    ConnectionWriter(NoiseConnection connection) {
        this.connection = connection;
    }

    /** Whether a flush can write anything in state {@code s}: handshake messages while handshaking, frames once open or closing. */
    private static boolean canFlush(ConnectionState s) {
        return s instanceof Open || s instanceof Handshaking || s instanceof Closing;
    }

    /** Flushes at the end of this tick, once however often it is asked. */
    void requestFlush() {
        if (!flushScheduled && canFlush(connection.state)) {
            flushScheduled = true;
            connection.loop.runAtEndOfTick(flushTask);
        }
    }

    /** Writes what the socket takes now; also when the socket became writable again. */
    void flush() {
        flushScheduled = false;
        ConnectionState s = connection.state;
        if (!canFlush(s)) {
            return;
        }
        Outbound outbound = connection.outbound;
        try {
            long sentBefore = outbound.messagesSent();
            TransportPhase t = NoiseConnection.transport(s);
            boolean drained = outbound.flush(connection.channel, t == null ? null : t.sendCipher(), connection.buffers);
            if (outbound.messagesSent() != sentBefore && s instanceof Open open) {
                open.active(connection.loop.nanoTime());
            }
            connection.setInterest(SelectionKey.OP_WRITE, !drained);
            updateWritability();
            if (s instanceof Closing closing && drained && !outbound.hasFrames() && !connection.hasHandoff()) {
                connection.channel.shutdownOutput();
                connection.finSent(closing);
            }
        } catch (IOException e) {
            connection.closeNow(new CloseReason(Kind.IO_ERROR, "write failed: " + e.getMessage(), e));
        } catch (ProtocolException e) {
            connection.closeNow(e.reason());
        }
    }

    private void updateWritability() {
        var c = connection;
        long queued = c.outbound.bytes();
        long soft = c.options.outboundSoftLimit();
        if (c.writable && queued > soft) {
            c.writable = false;
        } else if (!c.writable && queued <= soft / 2) {
            c.writable = true;
        }
        boolean writable = c.writable;
        if (!(c.state instanceof Open open) || writable == open.notifiedWritable) {
            return;
        }
        open.notifiedWritable = writable;
        if (c.options.pauseReadingWhenUnwritable()) {
            open.readPaused = !writable;
            c.setInterest(SelectionKey.OP_READ, writable);
        }
        c.notifyWritability(writable);
    }
}
