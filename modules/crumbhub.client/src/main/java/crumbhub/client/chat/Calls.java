package crumbhub.client.chat;

import crumbhub.client.net.ClientSession;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.Frame;

import java.util.ArrayDeque;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * The requests of {@link SessionEngine}: sent at once when connected, else held until the
 * connection is back or {@link SessionEngine.Options#offlineWait} passes; each ends in exactly
 * one callback with its reply or a {@link Failure}. A reply that does not come within the
 * request timeout drops the connection (it is made again). Session thread only.
 */
final class Calls {
    private final SessionEngine engine;
    private final SessionEngine.Options options;
    private final ArrayDeque<Runnable> waitingForConnection = new ArrayDeque<>();
    private int busy;

    Calls(SessionEngine engine, SessionEngine.Options options) {
        this.engine = engine;
        this.options = options;
    }

    /** No request is waiting or in flight. */
    boolean idle() {
        return busy == 0;
    }

    <T extends Frame> void request(IntFunction<Frame> frame, Class<T> expected, SessionEngine.Callback<T> done) {
        busy++;
        SessionEngine.Callback<T> finish = (reply, failure) -> {
            busy--;
            done.done(reply, failure);
            engine.checkIdle();
        };
        if (engine.stoppedFailure() != null || engine.session() != null) {
            issue(frame, expected, finish);
            return;
        }
        var fired = new boolean[1];
        Runnable go = () -> {
            if (!fired[0]) {
                fired[0] = true;
                issue(frame, expected, finish);
            }
        };
        waitingForConnection.add(go);
        engine.schedule(options.offlineWait(), () -> {
            if (!fired[0]) {
                fired[0] = true;
                waitingForConnection.remove(go);
                finish.done(null, new Failure(Failure.OFFLINE, "not connected to the server (still trying)"));
            }
        });
    }

    /** The connection is up: requests that waited for it go now. */
    void connected() {
        while (!waitingForConnection.isEmpty() && engine.session() != null) {
            waitingForConnection.poll().run();
        }
    }

    /** The engine stopped: requests that waited fail. */
    void failWaiting() {
        while (!waitingForConnection.isEmpty()) {
            waitingForConnection.poll().run();
        }
    }

    private <T extends Frame> void issue(IntFunction<Frame> frame, Class<T> expected, SessionEngine.Callback<T> done) {
        Failure stopped = engine.stoppedFailure();
        if (stopped != null) {
            done.done(null, stopped);
            return;
        }
        ClientSession session = engine.session();
        if (session == null) {
            done.done(null, new Failure(Failure.NETWORK, "the connection was lost"));
            return;
        }
        int gen = engine.generation();
        session.callAsync(frame).orTimeout(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((reply, error) -> engine.later(() -> {
                    if (error != null) {
                        Failure f = failureOf(error);
                        if (f.code().equals(Failure.TIMEOUT)) {
                            engine.dropConnection(gen);
                        }
                        done.done(null, f);
                    } else if (expected.isInstance(reply)) {
                        done.done(expected.cast(reply), null);
                    } else if (reply instanceof ControlFrame.Error e) {
                        done.done(null, new Failure(SessionEngine.printable(e.code()), SessionEngine.printable(e.message())));
                    } else {
                        done.done(null, new Failure("protocol", "the server sent " + reply.typeName()
                                + " instead of a reply"));
                    }
                }));
    }

    /** A failed future as a {@link Failure}: timeout, or the connection's end. */
    static Failure failureOf(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof TimeoutException) {
            return new Failure(Failure.TIMEOUT, "no reply from the server in time");
        }
        String m = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new Failure(Failure.NETWORK, SessionEngine.printable(m));
    }
}
