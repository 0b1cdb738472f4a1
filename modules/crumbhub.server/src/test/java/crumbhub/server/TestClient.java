package crumbhub.server;

import crumbhub.crypto.X25519KeyPair;
import crumbhub.wire.AuthFrame;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.MessageId;
import crumbhub.wire.TargetKind;
import crumbhub.wire.loop.EventLoop;
import crumbhub.wire.net.ConnectionOptions;
import crumbhub.wire.net.RpcClient;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** A real wire client (Noise + RpcClient) for loopback tests; every wait is bounded. */
final class TestClient implements AutoCloseable {
    static final SecureRandom RANDOM = new SecureRandom();

    final X25519KeyPair key;
    final RpcClient rpc;
    final LinkedBlockingQueue<Frame> pushes = new LinkedBlockingQueue<>();
    /** MEMBERSHIP_CHANGED pushes, kept apart from the deliveries in {@link #pushes}. */
    final LinkedBlockingQueue<Frame> membership = new LinkedBlockingQueue<>();
    AuthFrame.AuthOk auth;

    TestClient(InetSocketAddress server, EventLoop loop, X25519KeyPair key) throws Exception {
        this(server, null, loop, key);
    }

    /** Connects from {@code local} (a 127.0.0.x address, say), or from wherever the system chooses if null. */
    TestClient(InetSocketAddress server, InetSocketAddress local, EventLoop loop, X25519KeyPair key) throws Exception {
        this.key = key;
        this.rpc = RpcClient.connect(server, local, loop, key, k -> true, f -> (f instanceof crumbhub.wire.MembershipFrame.MembershipChanged ? membership : pushes).add(f), ConnectionOptions.client())
                .get(10, TimeUnit.SECONDS);
    }

    static X25519KeyPair newKey() {
        return X25519KeyPair.generate(RANDOM);
    }

    Frame call(IntFunction<Frame> request) throws Exception {
        return rpc.request(request).get(10, TimeUnit.SECONDS);
    }

    <T extends Frame> T call(IntFunction<Frame> request, Class<T> type) throws Exception {
        Frame f = call(request);
        if (!type.isInstance(f)) {
            throw new AssertionError("expected " + type.getSimpleName() + " but got " + f);
        }
        return type.cast(f);
    }

    ErrorCode error(IntFunction<Frame> request) throws Exception {
        return call(request, ControlFrame.Error.class).errorCode().orElseThrow();
    }

    TestClient register(String user, String password) throws Exception {
        return register(user, password, "");
    }

    TestClient register(String user, String password, String invite) throws Exception {
        auth = call(id -> new AuthFrame.Register(id, user, bytes(password), invite, "test"), AuthFrame.AuthOk.class);
        return this;
    }

    TestClient login(String user, String password) throws Exception {
        auth = call(id -> new AuthFrame.Login(id, user, bytes(password), "test"), AuthFrame.AuthOk.class);
        return this;
    }

    TestClient resume(AuthFrame.AuthOk earlier) throws Exception {
        auth = call(id -> new AuthFrame.Resume(id, earlier.user(), earlier.deviceId(), earlier.token()), AuthFrame.AuthOk.class);
        return this;
    }

    MessageFrame.SendOk send(TargetKind kind, String target, MessageId id, String text) throws Exception {
        return call(r -> new MessageFrame.Send(r, kind, target, id, 0, bytes(text)), MessageFrame.SendOk.class);
    }

    MessageFrame.SendOk send(TargetKind kind, String target, String text) throws Exception {
        return send(kind, target, MessageId.random(RANDOM), text);
    }

    /** SYNC; returns the messages pushed before SYNC_DONE. */
    List<MessageFrame.Deliver> sync() throws Exception {
        var done = call(MessageFrame.Sync::new, MessageFrame.SyncDone.class);
        var out = new ArrayList<MessageFrame.Deliver>();
        Frame f;
        while ((f = pushes.poll()) != null) {
            out.add((MessageFrame.Deliver) f);
        }
        if (out.size() != done.delivered()) {
            throw new AssertionError("SYNC_DONE says " + done.delivered() + " but " + out.size() + " arrived");
        }
        return out;
    }

    MessageFrame.Deliver nextPush() throws InterruptedException {
        Frame f = pushes.poll(10, TimeUnit.SECONDS);
        if (f == null) {
            throw new AssertionError("no push within 10 s");
        }
        return (MessageFrame.Deliver) f;
    }

    void ack(long seq) throws Exception {
        call(id -> new MessageFrame.Ack(id, seq), ControlFrame.Ok.class);
    }

    static String text(MessageFrame.Deliver d) {
        return new String(d.body(), StandardCharsets.UTF_8);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        rpc.close();
    }
}
