package crumbhub.client.chat;

import crumbhub.client.ClientException;
import crumbhub.client.message.MessageSealer;
import crumbhub.client.net.ClientSession;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.Frame;
import crumbhub.wire.MessageFrame;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The sending half of {@link SessionEngine}: messages in the order they were typed, up to
 * {@code window} of them in flight on the current connection. A message leaves the queue only
 * with the server's SEND_OK for its last request (stored) or an ERROR (refused); a lost
 * connection or a timeout leaves it queued, and its unconfirmed requests are sent again, with
 * the same ids, on the next connection (the server de-duplicates, protocol §4).
 *
 * <p>A message is sealed once, when it is first sent (the sealer advances its key state and may
 * ask the server for keys: this blocks the session thread for a few round trips at most), and the
 * sealed requests are kept for resends, so the end-to-end layer never encrypts the same message
 * twice. A sealed message can be several requests (key material to devices that lack it, then
 * the message, {@link crumbhub.client.message.SealedMessage}); they go one after the other, and no
 * later message overtakes them, so recipients get the keys before the message and messages stay
 * in the order they were typed. Session thread only.
 */
final class SendQueue {
    private static final class Entry {
        final OutgoingMessage message;
        crumbhub.client.message.SealedMessage sealed;
        /** Index of the first request without SEND_OK. */
        int next;
        boolean inFlight;
        int attempt;

        Entry(OutgoingMessage message) {
            this.message = message;
        }

        /** Whether the request in flight (or next to go) is not the last one. */
        boolean midway() {
            return next < sealed.requests().size() - 1;
        }
    }

    private final SessionEngine engine;
    private final MessageSealer sealer;
    private final SessionEngine.Listener listener;
    private final int window;
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private int inFlight;

    SendQueue(SessionEngine engine, MessageSealer sealer, SessionEngine.Listener listener, int window) {
        this.engine = engine;
        this.sealer = sealer;
        this.listener = listener;
        this.window = window;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    void add(OutgoingMessage message) {
        queue.add(new Entry(message));
        pump();
    }

    /** Sends what the window allows, in order. */
    void pump() {
        ClientSession session = engine.session();
        if (session == null) {
            return;
        }
        int generation = engine.generation();
        Iterator<Entry> it = queue.iterator();
        while (it.hasNext() && inFlight < window) {
            Entry e = it.next();
            if (e.inFlight) {
                if (e.midway()) {
                    break; // its message request has not gone yet: nothing may overtake it
                }
                continue;
            }
            if (e.sealed == null) {
                try {
                    e.sealed = sealer.seal(e.message.target(), e.message.body(), e.message.id(),
                            e.message.interaction());
                } catch (ClientException failure) {
                    if (failure.kind() == ClientException.Kind.LOCAL_STORE) {
                        throw failure;
                    }
                    if (failure.kind() == ClientException.Kind.NETWORK) {
                        engine.dropConnection(generation); // sealed on the next connection
                        return;
                    }
                    it.remove();
                    listener.notSent(e.message, failureOf(failure));
                    continue;
                }
                if (engine.session() != session) {
                    return; // the connection went while sealing; the next one sends it
                }
            }
            send(session, e);
            if (e.midway()) {
                break;
            }
        }
        engine.checkIdle();
    }

    /**
     * Why the end-to-end layer refused: bad text ({@code invalid}), the server's ERROR code when
     * the server refused one of its requests ({@link ClientException#serverCode}, e.g.
     * {@code not_found} for a room one is not in), {@code refused} otherwise, or {@code identity}
     * (a verified contact's keys changed).
     */
    static Failure failureOf(ClientException e) {
        String message = SessionEngine.printable(e.getMessage() == null ? "" : e.getMessage());
        String code = switch (e.kind()) {
            case USAGE -> Failure.INVALID;
            case NETWORK -> Failure.NETWORK;
            case REFUSED -> e.serverCode().map(SessionEngine::printable).orElse("refused");
            case IDENTITY, LOCAL_STORE -> e.kind().name().toLowerCase(Locale.ROOT);
        };
        return new Failure(code, message);
    }

    private void send(ClientSession session, Entry e) {
        e.inFlight = true;
        e.attempt++;
        inFlight++;
        int attempt = e.attempt;
        int index = e.next;
        int generation = engine.generation();
        IntFunction<Frame> request = e.sealed.requests().get(index);
        session.callAsync(request)
                .orTimeout(engine.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((reply, error) -> engine.later(() -> done(e, attempt, index, generation, reply, error)));
    }

    /**
     * After a delete went out: asks the server to drop what it still holds of the deleted message
     * (RETRACT, docs/protocol.md), as the {@code delete} command does, so devices that have not
     * fetched it never get it. The server holding nothing more (every device had it) is the
     * common answer, and a lost connection only means the server keeps it until it is fetched:
     * the delete itself went out either way, so the answer is not shown.
     */
    private void retract(OutgoingMessage message) {
        if (message.interaction() instanceof crumbhub.client.message.Interaction.Delete d) {
            engine.request(id -> new crumbhub.wire.RetractFrame.Retract(id, d.to()), ControlFrame.Ok.class,
                    (ok, failure) -> { });
        }
    }

    private void done(Entry e, int attempt, int index, int generation, Frame reply, Throwable error) {
        boolean current = e.inFlight && e.attempt == attempt;
        if (reply instanceof MessageFrame.SendOk ok) {
            // a success of an earlier attempt counts too: the server has stored that request
            if (index == e.next && queue.contains(e)) {
                settle(e);
                e.next++;
                if (e.next == e.sealed.requests().size()) {
                    queue.remove(e);
                    e.sealed.sent();
                    listener.sent(e.message, ok.seq(), Instant.ofEpochMilli(ok.tsMs()));
                    retract(e.message);
                }
            }
        } else if (!current) {
            return; // a failure of an attempt on an earlier connection: it was sent again since
        } else if (reply instanceof ControlFrame.Error err) {
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
