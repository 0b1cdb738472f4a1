package crumbhub.client.chat;

import crumbhub.client.format.MessageText;
import crumbhub.client.format.ReceivedMessage;
import crumbhub.client.message.MessageOpener;
import crumbhub.client.message.Target;
import crumbhub.client.net.ClientSession;
import crumbhub.wire.Frame;
import crumbhub.wire.MessageFrame;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The receiving half of {@link SessionEngine}: DELIVER pushes are queued by the network thread and
 * handled in batches on the session thread: skipped if at or below the cursor (already handled
 * before a crash or a reconnect) or if its (sender, message id) was handled before (a message
 * pushed early, lost in a server crash and stored again under a new seq, protocol §4), opened (end-to-end: key material is stored by the opener and
 * not shown), handed to the listener (which stores or prints them), then the cursor is advanced and the highest seq acknowledged. One fsync of the cursor and one
 * ACK per batch, however many messages it holds. What opening needs from the server is fetched
 * first ({@link MessageOpener#prefetch}): a connection lost then stops the batch before that
 * message, which is neither shown nor acknowledged and comes again after the reconnect.
 *
 * <p>A full queue (the listener slower than the server) drops the connection; the SYNC after the
 * reconnect sends the rest again from the server's cursor.
 */
final class DeliveryQueue {
    /**
     * Pushes buffered between the network thread and the session thread: enough for a long
     * offline backlog of ordinary messages (a SYNC pushes as fast as the network goes, faster than
     * the history is written), bounded in bytes too since a body can be 60,000 bytes.
     */
    static final int CAPACITY = 65_536;
    static final long MAX_BYTES = 32L << 20;
    /** Messages handed to the listener at once: bounds the work between two UI events. */
    static final int BATCH = 512;

    private record Pushed(int generation, MessageFrame.Deliver deliver) {
    }

    private final SessionEngine engine;
    private final MessageOpener opener;
    private final SessionEngine.Cursor cursor;
    private final String me;
    private final SessionEngine.Listener listener;
    private final ArrayBlockingQueue<Pushed> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean overflowing = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();

    DeliveryQueue(SessionEngine engine, MessageOpener opener, SessionEngine.Cursor cursor, String me,
          SessionEngine.Listener listener) {
        this.engine = engine;
        this.opener = opener;
        this.cursor = cursor;
        this.me = me;
        this.listener = listener;
    }

    /** Network thread: queue a push; must not block. */
    void push(int generation, Frame frame) {
        if (!(frame instanceof MessageFrame.Deliver d)) {
            return; // KEYS_STATUS goes to the end-to-end layer; PING is answered by the wire layer
        }
        long size = d.body().length;
        if (bytes.get() + size > MAX_BYTES || !queue.offer(new Pushed(generation, d))) {
            // one resync task however many pushes overflow, so a stuck session thread costs no memory
            if (overflowing.compareAndSet(false, true)) {
                engine.later(() -> {
                    clear();
                    engine.resync(generation);
                });
            }
            return;
        }
        bytes.addAndGet(size);
        if (scheduled.compareAndSet(false, true)) {
            engine.later(this::drain);
        }
    }

    boolean busy() {
        return !queue.isEmpty();
    }

    /** Asks for everything not yet acknowledged; pushes follow. */
    void sync(ClientSession session) {
        session.callAsync(MessageFrame.Sync::new);
    }

    void connectionLost() {
        clear();
    }

    private void clear() {
        queue.clear();
        bytes.set(0);
        overflowing.set(false);
    }

    private void drain() {
        scheduled.set(false);
        var batch = new ArrayList<MessageFrame.Deliver>();
        for (Pushed p = queue.poll(); p != null; p = batch.size() < BATCH ? queue.poll() : null) {
            bytes.addAndGet(-p.deliver().body().length);
            if (p.generation() == engine.generation() && engine.session() != null) {
                batch.add(p.deliver());
            }
        }
        if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
            engine.later(this::drain);
        }
        if (batch.isEmpty()) {
            engine.checkIdle();
            return;
        }
        int generation = engine.generation();
        long last = cursor.lastSeq();
        long highest = last;
        long ack = 0;
        String lost = null;
        var fresh = new ArrayList<IncomingMessage>();
        var logsRead = new java.util.HashSet<String>();
        for (MessageFrame.Deliver d : batch) {
            if (Long.compareUnsigned(d.seq(), last) > 0) {
                lost = prefetch(d);
                if (lost != null) {
                    break; // this one and the rest come again after the reconnect's SYNC
                }
                if (d.kind() == crumbhub.wire.TargetKind.ROOM && logsRead.add(d.target())) {
                    // membership changes are shown before the messages that follow them (one log read a batch)
                    Target room = Target.of(d.kind().code(), d.target());
                    for (var e : engine.roomEvents(d.target())) {
                        fresh.add(new IncomingMessage.Membership(room, d.seq(), e));
                    }
                }
                if (cursor.firstSight(d.from(), d.messageId())) {
                    open(d).ifPresent(fresh::add);
                }
                if (Long.compareUnsigned(d.seq(), highest) > 0) {
                    highest = d.seq();
                }
            }
            if (Long.compareUnsigned(d.seq(), ack) > 0) {
                ack = d.seq();
            }
        }
        if (!fresh.isEmpty()) {
            listener.received(List.copyOf(fresh));
        }
        if (highest != last) {
            cursor.advance(highest);
        }
        ClientSession session = engine.session();
        if (session != null && ack != 0) {
            long seq = ack;
            // a lost ACK is harmless: the server sends the message again and the cursor skips it
            session.callAsync(id -> new MessageFrame.Ack(id, seq));
        }
        if (lost != null) {
            engine.dropConnection(generation, lost);
        }
        engine.checkIdle();
    }

    /**
     * Fetches what opening {@code d} needs from the server before anything about it is recorded
     * (the listing of a sender not checked yet). Null when the message can be opened; the
     * network failure otherwise: then it is neither opened nor acknowledged, and the connection
     * is dropped so that the SYNC after the reconnect sends it again. Any other refusal is left to
     * {@link #open}, which reports the message unreadable.
     */
    private String prefetch(MessageFrame.Deliver d) {
        try {
            opener.prefetch(crumbhub.client.message.Delivery.of(d));
            return null;
        } catch (crumbhub.client.ClientException e) {
            return switch (e.kind()) {
                case NETWORK -> e.getMessage();
                case LOCAL_STORE -> throw e;
                case USAGE, REFUSED, IDENTITY -> null;
            };
        }
    }

    /**
     * Opens one delivery; empty for key material (a room sender key arriving over a pairwise
     * session), which the opener has stored and which is neither shown nor kept in the history.
     */
    private Optional<IncomingMessage> open(MessageFrame.Deliver d) {
        Target addressed = Target.of(d.kind().code(), d.target());
        Target conversation = ReceivedMessage.conversationOf(addressed, d.from(), me);
        // the server's time: shown only for what has no time of the sender's (docs/crypto.md, "Envelope")
        Instant time = Instant.ofEpochMilli(d.tsMs());
        return switch (opener.open(crumbhub.client.message.Delivery.of(d))) {
            case MessageOpener.Result.Opened opened -> Optional.of(new IncomingMessage.Message(conversation, d.from(),
                    Integer.toUnsignedLong(d.fromDevice()), d.seq(), opened.shownTime(time), opened.id(),
                    opened.interaction() == null || opened.interaction() instanceof crumbhub.client.message.Interaction.Reply
                            ? MessageText.decode(opened.text()) : MessageText.text(opened.text()),
                    opened.interaction()));
            case MessageOpener.Result.Control control -> Optional.empty();
            case MessageOpener.Result.Unreadable u -> Optional.of(new IncomingMessage.Unreadable(conversation, d.from(), d.seq(),
                    time, d.messageId(), u.reason()));
        };
    }
}
