package crumbhub.client.chat;

import crumbhub.client.ClientException;
import crumbhub.client.message.MessageSealer;
import crumbhub.client.message.SealedBody;
import crumbhub.client.message.Target;
import crumbhub.client.net.ClientSession;
import crumbhub.wire.Frame;
import crumbhub.wire.TargetKind;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * The sending half of {@link SessionEngine}: messages in the order they were typed, up to
 * {@code window} of them in flight on the current connection. A message leaves the queue only
 * with the server's SEND_OK (stored) or ERROR (refused); a lost connection or a timeout leaves it
 * queued, and it is sent again, with the same id, on the next connection (the server
 * de-duplicates, protocol §4).
 *
 * <p>A message is sealed once, when it is first sent, and the sealed body is kept for resends, so
 * an end-to-end sealer is not asked to encrypt the same message twice. Session thread only.
 */
final class Outbox {
    private static final class Entry {
        final Outgoing message;
        SealedBody sealed;
        boolean inFlight;
        int attempt;

        Entry(Outgoing message) {
            this.message = message;
        }
    }

    private final SessionEngine engine;
    private final MessageSealer sealer;
    private final SessionEngine.Listener listener;
    private final int window;
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private int inFlight;

    Outbox(SessionEngine engine, MessageSealer sealer, SessionEngine.Listener listener, int window) {
        this.engine = engine;
        this.sealer = sealer;
        this.listener = listener;
        this.window = window;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    void add(Outgoing message) {
        queue.add(new Entry(message));
        pump();
    }

    /** Sends what the window allows, in order. */
    void pump() {
        ClientSession session = engine.session();
        if (session == null) {
            return;
        }
        Iterator<Entry> it = queue.iterator();
        while (it.hasNext() && inFlight < window) {
            Entry e = it.next();
            if (e.inFlight) {
                continue;
            }
            if (e.sealed == null) {
                try {
                    Target t = e.message.target();
                    e.sealed = sealer.seal(t, e.message.text().encode());
                } catch (ClientException failure) {
                    if (failure.kind() != ClientException.Kind.USAGE) {
                        throw failure;
                    }
                    it.remove();
                    listener.notSent(e.message, new Failure(Failure.INVALID, failure.getMessage()));
                    continue;
                }
            }
            send(session, e);
        }
        engine.checkIdle();
    }

    private void send(ClientSession session, Entry e) {
        e.inFlight = true;
        e.attempt++;
        inFlight++;
        int attempt = e.attempt;
        int generation = engine.generation();
        Outgoing m = e.message;
        TargetKind kind = m.target().kind() == Target.KIND_ROOM ? TargetKind.ROOM : TargetKind.DIRECT;
        String name = m.target().name();
        int alg = e.sealed.alg();
        byte[] body = e.sealed.body();
        session.callAsync(rid -> new Frame.Send(rid, kind, name, m.id(), alg, body))
                .orTimeout(engine.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((reply, error) -> engine.later(() -> done(e, attempt, generation, reply, error)));
    }

    private void done(Entry e, int attempt, int generation, Frame reply, Throwable error) {
        boolean current = e.inFlight && e.attempt == attempt;
        if (reply instanceof Frame.SendOk ok) {
            // a success of an earlier attempt counts too: the server has stored the message
            if (queue.remove(e)) {
                settle(e);
                listener.sent(e.message, ok.seq(), Instant.ofEpochMilli(ok.tsMs()));
            }
        } else if (!current) {
            return; // a failure of an attempt on an earlier connection: it was sent again since
        } else if (reply instanceof Frame.Error err) {
            queue.remove(e);
            settle(e);
            listener.notSent(e.message, new Failure(SessionEngine.printable(err.code()),
                    SessionEngine.printable(err.message())));
        } else if (error != null) {
            settle(e);
            if (Calls.failureOf(error).code().equals(Failure.TIMEOUT)) {
                engine.dropConnection(generation); // resent, same id, on the next connection
            }
        } else {
            queue.remove(e);
            settle(e);
            listener.notSent(e.message, new Failure("protocol", "the server answered SEND with " + reply.typeName()));
        }
        pump();
    }

    private void settle(Entry e) {
        if (e.inFlight) {
            e.inFlight = false;
            inFlight--;
        }
    }

    /** The connection is gone: everything in flight is sent again on the next one. */
    void connectionLost() {
        for (Entry e : queue) {
            e.inFlight = false;
        }
        inFlight = 0;
    }

    /** The engine stopped: nothing queued will be sent. */
    void failAll(Failure why) {
        while (!queue.isEmpty()) {
            listener.notSent(queue.poll().message, why);
        }
        inFlight = 0;
    }
}
