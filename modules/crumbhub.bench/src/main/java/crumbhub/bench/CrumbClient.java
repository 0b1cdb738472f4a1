package crumbhub.bench;

import crumbhub.crypto.X25519KeyPair;
import crumbhub.wire.CloseReason;
import crumbhub.wire.ConnectionClosedException;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.Frame;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.MessageId;
import crumbhub.wire.TargetKind;
import crumbhub.wire.loop.EventLoop;
import crumbhub.wire.net.Connection;
import crumbhub.wire.net.ConnectionHandler;
import crumbhub.wire.net.ConnectionOptions;
import crumbhub.wire.net.NoiseClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * One bench device on a CrumbHub server: a Noise connection handled directly at the
 * {@link ConnectionHandler} level, so thousands share a few event loops and a delivery costs no
 * allocation beyond the decoded frame. Setup requests ({@link #request}) complete futures;
 * bench SENDs are matched to their SEND_OK through a fixed ring of send times, and deliveries
 * are acknowledged in batches (protocol §4) so the server can drop them.
 *
 * <p>All state belongs to the loop thread; {@link #request} and {@link #close} may be called from
 * any thread.
 */
final class CrumbClient implements LoadClient, ConnectionHandler {
    /** Deliveries acknowledged with one ACK (the cursor moves to the highest seq). */
    static final int ACK_EVERY = 128;
    /** Outstanding SENDs whose send time is remembered; more than the outbound limit lets through. */
    private static final int RING = 1 << 13;

    private final int index;
    private final String user;
    private final EventLoop loop;
    private final LoopStats stats;
    private final String[] roomNames;
    private final Predicate<byte[]> acceptServerKey;
    private final CompletableFuture<CrumbClient> ready = new CompletableFuture<>();
    private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    private final Map<Integer, CompletableFuture<Frame>> pending = new HashMap<>();
    private final long messageIdHigh;
    private volatile Connection connection;
    private volatile boolean closing;
    private ProbeListener listener = ProbeListener.COUNT;
    private int lastId;
    private long messageIdLow;
    private int[] ringIds;
    private long[] ringNanos;
    private long highestSeq;
    private long ackedSeq;
    private long seenUpTo;
    private int unacked;
    private int pingId;
    private long pingSentNanos;

    private CrumbClient(int index, String user, EventLoop loop, LoopStats stats, String[] roomNames,
            Predicate<byte[]> acceptServerKey, long messageIdHigh) {
        this.index = index;
        this.user = user;
        this.loop = loop;
        this.stats = stats;
        this.roomNames = roomNames;
        this.acceptServerKey = acceptServerKey;
        this.messageIdHigh = messageIdHigh;
    }

    /**
     * Starts connecting; the future completes when the handshake is done (not yet authenticated)
     * or fails with {@link ConnectionClosedException}.
     *
     * @param local         the local address to connect from, or null to let the kernel choose
     * @param messageIdHigh high half of every message id this client makes; random per run, so ids
     *                      never repeat across runs of the same user (the server de-duplicates by id)
     */
    static CompletableFuture<CrumbClient> connect(int index, String user, InetSocketAddress server,
            InetSocketAddress local, EventLoop loop, LoopStats stats, String[] roomNames, X25519KeyPair deviceKey,
            Predicate<byte[]> acceptServerKey, ConnectionOptions options, long messageIdHigh) {
        var c = new CrumbClient(index, user, loop, stats, roomNames, acceptServerKey, messageIdHigh);
        try {
            c.connection = NoiseClient.connect(server, local, loop, deviceKey, c, options);
        } catch (IOException e) {
            c.ready.completeExceptionally(new ConnectionClosedException(
                    new CloseReason(CloseReason.Kind.CONNECT_FAILED, e.getMessage(), e)));
        }
        return c.ready;
    }

    String user() {
        return user;
    }

    /** Completes with the reason when the connection closes. */
    CompletableFuture<CloseReason> closed() {
        return closed;
    }

    /**
     * Sends the request {@code build} makes for a fresh id; the future completes with the reply
     * (its specific type, OK or ERROR) or fails with {@link ConnectionClosedException}. Any thread.
     */
    CompletableFuture<Frame> request(IntFunction<Frame> build) {
        var reply = new CompletableFuture<Frame>();
        Runnable task = () -> {
            Connection c = connection;
            if (c == null || closed.isDone()) {
                reply.completeExceptionally(new ConnectionClosedException(
                        closed.isDone() ? closed.join() : CloseReason.of(CloseReason.Kind.LOCAL, "not connected")));
                return;
            }
            int id = nextId();
            pending.put(id, reply);
            if (!c.send(build.apply(id))) {
                pending.remove(id);
                reply.completeExceptionally(new ConnectionClosedException(c.closeReason() != null
                        ? c.closeReason() : CloseReason.of(CloseReason.Kind.LOCAL, "outbound buffer full")));
            }
        };
        if (loop.inLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
        return reply;
    }

    private int nextId() {
        do {
            lastId++;
        } while (lastId == 0 || pending.containsKey(lastId));
        return lastId;
    }

    // ---- LoadClient ------------------------------------------------------------------------------

    @Override
    public int index() {
        return index;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public LoopStats stats() {
        return stats;
    }

    @Override
    public boolean send(int room, Probe probe, int size) {
        Connection c = connection;
        if (ringIds == null) {
            ringIds = new int[RING];
            ringNanos = new long[RING];
        }
        int id = nextId();
        var frame = new MessageFrame.Send(id, TargetKind.ROOM, roomNames[room], new MessageId(messageIdHigh, ++messageIdLow),
                0, probe.toBinary(size));
        int slot = id & (RING - 1);
        ringIds[slot] = id;
        ringNanos[slot] = probe.sentNanos;
        if (c == null || !c.send(frame)) {
            ringIds[slot] = 0;
            stats.refused();
            return false;
        }
        stats.sent();
        return true;
    }

    @Override
    public boolean ping() {
        Connection c = connection;
        if (pingId != 0 || c == null) {
            return false;
        }
        int id = nextId();
        pingSentNanos = System.nanoTime();
        if (!c.send(new ControlFrame.Ping(id, pingSentNanos))) {
            return false;
        }
        pingId = id;
        return true;
    }

    @Override
    public void flush() {
        if (highestSeq > ackedSeq && connection != null && connection.send(new MessageFrame.Ack(nextId(), highestSeq))) {
            ackedSeq = highestSeq;
            unacked = 0;
        }
    }

    @Override
    public void onProbe(ProbeListener l) {
        listener = l;
    }

    @Override
    public boolean isOpen() {
        Connection c = connection;
        return c != null && c.isOpen();
    }

    @Override
    public void close() {
        closing = true;
        Connection c = connection;
        if (c != null) {
            c.close();
        }
    }

    // ---- ConnectionHandler, loop thread ------------------------------------------------------------

    @Override
    public boolean acceptRemoteKey(Connection c, byte[] remoteStatic) {
        return acceptServerKey.test(remoteStatic);
    }

    @Override
    public void onReady(Connection c) {
        connection = c;
        ready.complete(this);
    }

    @Override
    public void onFrame(Connection c, Frame frame) {
        long now = System.nanoTime();
        switch (frame) {
            case MessageFrame.Deliver d -> onDeliver(d, now);
            case MessageFrame.SendOk ok -> {
                if (!completePending(ok) && !matchSend(ok.requestId(), now, true)) {
                    stats.stale();
                }
            }
            case ControlFrame.Ping p -> c.send(new ControlFrame.Pong(p.requestId(), p.nonce()));
            // room set-up pushes MEMBERSHIP_CHANGED (docs/protocol.md §8): nothing for the bench to measure
            case crumbhub.wire.MembershipFrame.MembershipChanged m -> { }
            case ControlFrame.Pong p -> {
                if (p.requestId() == pingId && pingId != 0) {
                    pingId = 0;
                    stats.pong(now - pingSentNanos);
                } else {
                    completePending(p);
                }
            }
            case ControlFrame.Error e -> {
                if (!completePending(e)) {
                    // a bench SEND or an ACK was refused
                    matchSend(e.requestId(), now, false);
                    stats.error();
                }
            }
            default -> {
                if (!completePending(frame) && frame.requestId() == 0) {
                    stats.stale();
                }
            }
        }
    }

    private boolean completePending(Frame reply) {
        CompletableFuture<Frame> f = reply.requestId() == 0 ? null : pending.remove(reply.requestId());
        if (f == null) {
            return false;
        }
        f.complete(reply);
        return true;
    }

    private boolean matchSend(int id, long now, boolean ok) {
        if (ringIds == null) {
            return false;
        }
        int slot = id & (RING - 1);
        if (ringIds[slot] != id || id == 0) {
            return false;
        }
        ringIds[slot] = 0;
        if (ok) {
            stats.acked(now - ringNanos[slot]);
        }
        return true;
    }

    /** Highest seq received so far. Loop thread. */
    long highestSeq() {
        return highestSeq;
    }

    /**
     * Deliveries up to {@code seq} were received by an earlier connection of this device, which
     * closed before the server had its acknowledgement: when they come again (SYNC) they count as
     * repeats ({@code stale}), not as received. Loop thread, before the SYNC.
     */
    void seenUpTo(long seq) {
        seenUpTo = seq;
    }

    private void onDeliver(MessageFrame.Deliver d, long now) {
        if (d.seq() <= seenUpTo) {
            stats.stale();
            return;
        }
        if (d.seq() > highestSeq) {
            highestSeq = d.seq();
        }
        if (++unacked >= ACK_EVERY) {
            flush();
        }
        Probe p = stats.probe;
        if (p.fromBinary(d.body())) {
            listener.onProbe(this, p, now);
        } else {
            stats.stale();
        }
    }

    @Override
    public void onClosed(Connection c, CloseReason reason) {
        connection = c;
        if (!closing && ready.isDone()) {
            stats.error();
        }
        closed.complete(reason);
        ready.completeExceptionally(new ConnectionClosedException(reason));
        var failure = new ConnectionClosedException(reason);
        for (var f : pending.values()) {
            f.completeExceptionally(failure);
        }
        pending.clear();
    }
}
