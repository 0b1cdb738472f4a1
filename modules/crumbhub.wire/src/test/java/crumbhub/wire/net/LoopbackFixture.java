package crumbhub.wire.net;

import crumbhub.crypto.X25519KeyPair;
import crumbhub.wire.loop.EventLoop;
import crumbhub.wire.loop.EventLoopGroup;
import crumbhub.wire.loop.NanoClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A server on 127.0.0.1 port 0 with two loops, and a client loop; torn down after each test. */
abstract class LoopbackFixture {
    static final long WAIT_S = RecordingHandler.WAIT_S;

    static X25519KeyPair key(int seed) {
        byte[] priv = new byte[32];
        for (int i = 0; i < priv.length; i++) {
            priv[i] = (byte) (seed * 31 + i);
        }
        return X25519KeyPair.fromPrivate(priv);
    }

    final X25519KeyPair serverKey = key(1);
    final X25519KeyPair clientKey = key(2);
    final BlockingQueue<RecordingHandler> serverHandlers = new LinkedBlockingQueue<>();
    volatile Consumer<RecordingHandler> serverSetup = h -> { };
    EventLoopGroup serverLoops;
    EventLoop clientLoop;
    NoiseServer server;

    ConnectionOptions serverOptions() {
        return ConnectionOptions.server();
    }

    /** The clock of every loop, client's and server's; a test of timers returns a manual one. */
    NanoClock clock() {
        return NanoClock.SYSTEM;
    }

    @BeforeEach
    void startServer() throws Exception {
        serverLoops = new EventLoopGroup("srv", 2, clock());
        clientLoop = new EventLoop("cli", clock());
        server = NoiseServer.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), serverLoops, serverKey,
                c -> {
                    var h = new RecordingHandler();
                    serverSetup.accept(h);
                    serverHandlers.add(h);
                    return h;
                }, serverOptions());
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
        clientLoop.shutdownGracefully().get(WAIT_S, TimeUnit.SECONDS);
        serverLoops.shutdownGracefully().get(WAIT_S, TimeUnit.SECONDS);
    }

    InetSocketAddress address() {
        return server.localAddress();
    }

    Connection connect(RecordingHandler handler) throws Exception {
        return connect(handler, ConnectionOptions.client());
    }

    Connection connect(RecordingHandler handler, ConnectionOptions options) throws Exception {
        return NoiseClient.connect(address(), clientLoop, clientKey, handler, options);
    }

    RecordingHandler nextServerHandler() throws InterruptedException {
        RecordingHandler h = serverHandlers.poll(WAIT_S, TimeUnit.SECONDS);
        if (h == null) {
            throw new AssertionError("the server accepted no connection within " + WAIT_S + " s");
        }
        return h;
    }

    /** Runs {@code task} on {@code loop} and returns its result. */
    static <T> T onLoop(crumbhub.wire.loop.EventLoop loop, Callable<T> task) throws Exception {
        var f = new CompletableFuture<T>();
        loop.execute(() -> {
            try {
                f.complete(task.call());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(WAIT_S, TimeUnit.SECONDS);
    }

    static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
