package crumbhub.server.core;

import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.server.domain.State;
import crumbhub.wire.AuthFrame;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.Frame;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.MessageId;
import crumbhub.wire.TargetKind;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** A ServerCore over fake connections and a manual log, with cheap password hashing. */
final class Harness implements AutoCloseable {
    final ManualLog log;
    final ServerCore core;
    private final AtomicInteger requestIds = new AtomicInteger(100);
    private int keys;
    private long ids;

    Harness(boolean autoDurable, RegistrationMode mode) {
        this(autoDurable, ServerOptions.builder().registration(mode));
    }

    Harness(boolean autoDurable, ServerOptions.Builder options) {
        this(autoDurable, options, new State());
    }

    /** A server started on {@code recovered}, as after a restart that replayed the durable records. */
    Harness(boolean autoDurable, ServerOptions.Builder options, State recovered) {
        log = new ManualLog(autoDurable);
        var opts = options.passwordIterations(1000).hashThreads(1)
                .throttle(Duration.ofMillis(200), Duration.ofMillis(800)).build();
        core = new ServerCore(opts, recovered, log, new SecureRandom());
    }

    int rid() {
        return requestIds.incrementAndGet();
    }

    /** A connected, not yet authenticated client. */
    Client connect() {
        var peer = new FakePeer(++keys, "10.0.0." + keys);
        return new Client(peer, core.connected(peer));
    }

    Client connect(int keyByte, String host) {
        var peer = new FakePeer(keyByte, host);
        return new Client(peer, core.connected(peer));
    }

    final class Client {
        final FakePeer peer;
        final Session session;
        AuthFrame.AuthOk auth;

        Client(FakePeer peer, Session session) {
            this.peer = peer;
            this.session = session;
        }

        int request(java.util.function.IntFunction<Frame> f) {
            int id = rid();
            core.received(session, f.apply(id));
            return id;
        }

        Frame call(java.util.function.IntFunction<Frame> f) {
            int id = request(f);
            Frame reply = peer.next();
            if (reply.requestId() != id) {
                throw new AssertionError("reply to " + reply.requestId() + " while waiting for " + id + ": " + reply);
            }
            return reply;
        }

        Client register(String user) {
            Frame r = call(id -> new AuthFrame.Register(id, user, ("pw-" + user).getBytes(StandardCharsets.UTF_8), "", "dev"));
            auth = cast(r, AuthFrame.AuthOk.class);
            return this;
        }

        Client login(String user, String password) {
            auth = cast(call(id -> new AuthFrame.Login(id, user, password.getBytes(StandardCharsets.UTF_8), "dev")),
                    AuthFrame.AuthOk.class);
            return this;
        }

        MessageFrame.SendOk send(TargetKind kind, String target, String text) {
            return cast(call(id -> new MessageFrame.Send(id, kind, target, new MessageId(7, ++ids), 0,
                    text.getBytes(StandardCharsets.UTF_8))), MessageFrame.SendOk.class);
        }

        void ok(java.util.function.IntFunction<Frame> f) {
            cast(call(f), ControlFrame.Ok.class);
        }

        MessageFrame.SyncDone sync(java.util.List<MessageFrame.Deliver> into) {
            int id = request(MessageFrame.Sync::new);
            while (true) {
                Frame f = peer.next();
                if (f instanceof MessageFrame.Deliver d) {
                    into.add(d);
                } else if (f instanceof MessageFrame.SyncDone done && done.requestId() == id) {
                    return done;
                } else {
                    throw new AssertionError("unexpected during sync: " + f);
                }
            }
        }
    }

    static <T extends Frame> T cast(Frame f, Class<T> type) {
        if (!type.isInstance(f)) {
            throw new AssertionError("expected " + type.getSimpleName() + " but got " + f);
        }
        return type.cast(f);
    }

    static String text(MessageFrame.Deliver d) {
        return new String(d.body(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        log.auto(true);
        core.shutdown(Duration.ofSeconds(5));
    }
}
