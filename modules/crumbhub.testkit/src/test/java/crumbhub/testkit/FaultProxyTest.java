package crumbhub.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each fault of {@link FaultProxy} against a plain echo server on 127.0.0.1. Delays are checked
 * from below only (a fault must delay at least this much); every test is bounded by its timeout.
 */
@Timeout(30)
class FaultProxyTest {
    /** How long "nothing arrives" is watched: long against loopback, short against the suite. */
    private static final int QUIET_MILLIS = 300;

    private EchoServer echo;
    private FaultProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new EchoServer();
        proxy = FaultProxy.start(echo.port());
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        echo.close();
    }

    @Test
    void forwardsAMegabyteBothWaysUnchanged() throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(7).nextBytes(data);
        try (Socket s = connect()) {
            Thread writer = Thread.ofPlatform().start(() -> write(s, data));
            assertThat(readExactly(s, data.length)).isEqualTo(data);
            writer.join();
        }
        assertThat(proxy.accepted()).isEqualTo(1);
    }

    @Test
    void latencyDelaysEachDirectionAndJitterKeepsTheOrder() throws Exception {
        proxy.faults(Faults.NONE.withLatency(Duration.ofMillis(150), Duration.ofMillis(40)));
        try (Socket s = connect()) {
            long t0 = System.nanoTime();
            s.getOutputStream().write(1);
            assertThat(readExactly(s, 1)).containsExactly(1);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

            byte[] sequence = new byte[200];
            for (int i = 0; i < sequence.length; i++) {
                sequence[i] = (byte) i;
                s.getOutputStream().write(sequence, i, 1);
            }
            assertThat(readExactly(s, sequence.length)).isEqualTo(sequence);
        }
    }

    @Test
    void bandwidthLimitSlowsATransferToTheRate() throws Exception {
        proxy.faults(Faults.NONE.withBandwidth(64 * 1024));
        byte[] data = new byte[64 * 1024];
        new Random(8).nextBytes(data);
        try (Socket s = connect()) {
            long t0 = System.nanoTime();
            Thread writer = Thread.ofPlatform().start(() -> write(s, data));
            assertThat(readExactly(s, data.length)).isEqualTo(data);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
            writer.join();
        }
    }

    @Test
    void cutAfterBytesClosesTheConnectionAfterExactlyThatManyBytesBothWaysTogether() throws Exception {
        proxy.faults(Faults.NONE.withCutAfter(150));
        try (Socket s = connect()) {
            s.getOutputStream().write(new byte[100]);
            // 100 bytes up, then 50 of the echo down, then the cut
            assertThat(s.getInputStream().readAllBytes()).hasSize(50);
        }
        Await.until(() -> proxy.links().isEmpty(), "the cut link is gone");
        assertThat(echo.received.get()).isEqualTo(100);
    }

    @Test
    void blackHoleDownwardsIsHalfOpenUntilHealedAndTheDroppedBytesAreGone() throws Exception {
        try (Socket s = connect()) {
            roundTrip(s, 1);
            proxy.faults(Faults.NONE.withBlackHole(false, true));
            s.getOutputStream().write(new byte[] {2, 3});
            Await.until(() -> echo.received.get() == 3, "the server got the bytes");
            assertNothingArrives(s);
            assertThat(proxy.links()).hasSize(1).allMatch(FaultProxy.Link::isOpen);

            proxy.faults(Faults.NONE);
            roundTrip(s, 4);
        }
    }

    @Test
    void blackHoleUpwardsDropsWhatTheClientSends() throws Exception {
        try (Socket s = connect()) {
            roundTrip(s, 1);
            proxy.faults(Faults.NONE.withBlackHole(true, false));
            s.getOutputStream().write(new byte[] {2, 3});
            assertNothingArrives(s);
            assertThat(echo.received.get()).isEqualTo(1);
            proxy.links().getFirst().faults(Faults.NONE);
            roundTrip(s, 4);
            assertThat(echo.received.get()).isEqualTo(2);
        }
    }

    @Test
    void resetSendsAnRstToBothSides() throws Exception {
        try (Socket s = connect()) {
            roundTrip(s, 1);
            proxy.resetAll();
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketException.class)
                    .hasMessageContaining("reset");
            Await.until(() -> echo.resets.get() == 1, "the server side saw the reset");
        }
    }

    @Test
    void aTargetThatIsDownResetsTheClient() throws Exception {
        int unused;
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            unused = probe.getLocalPort();
        }
        try (FaultProxy toNowhere = FaultProxy.start(unused); Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), toNowhere.port()));
            s.setSoTimeout(10_000);
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketException.class);
        }
    }

    @Test
    void slowCloseHoldsTheEndOfTheStreamBack() throws Exception {
        proxy.faults(Faults.NONE.withSlowClose(Duration.ofMillis(300)));
        try (Socket s = connect()) {
            roundTrip(s, 1);
            long t0 = System.nanoTime();
            s.shutdownOutput();
            // the client's FIN reaches the server 300 ms late, the server's FIN the client 300 ms later
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        }
        Await.until(() -> proxy.links().isEmpty(), "the closed link is gone");
    }

    @Test
    void aCutOfOneLinkLeavesTheOthersAndNewConnectionsWork() throws Exception {
        try (Socket a = connect(); Socket b = connect()) {
            roundTrip(a, 1);
            roundTrip(b, 2);
            Await.until(() -> proxy.links().size() == 2, "two links");
            proxy.links().getFirst().cut();
            assertThat(a.getInputStream().read()).isEqualTo(-1);
            roundTrip(b, 3);
            try (Socket c = connect()) {
                roundTrip(c, 4);
            }
        }
    }

    @Test
    void closeEndsEveryConnectionAndTheListener() throws Exception {
        Socket s = connect();
        roundTrip(s, 1);
        int port = proxy.port();
        proxy.close();
        assertThat(s.getInputStream().read()).isEqualTo(-1);
        s.close();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(IOException.class);
        Await.until(() -> echo.open.get() == 0, "the proxy's connection to the server closed");
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        s.setSoTimeout(10_000);
        s.setTcpNoDelay(true);
        return s;
    }

    private static void roundTrip(Socket s, int b) throws IOException {
        s.getOutputStream().write(b);
        assertThat(readExactly(s, 1)).containsExactly((byte) b);
    }

    private static void assertNothingArrives(Socket s) throws IOException {
        int before = s.getSoTimeout();
        s.setSoTimeout(QUIET_MILLIS);
        try {
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        } finally {
            s.setSoTimeout(before);
        }
    }

    private static byte[] readExactly(Socket s, int n) throws IOException {
        byte[] out = s.getInputStream().readNBytes(n);
        assertThat(out).as("bytes before the end of the stream").hasSize(n);
        return out;
    }

    private static void write(Socket s, byte[] data) {
        try {
            s.getOutputStream().write(data);
        } catch (IOException e) {
            throw new AssertionError("write failed: " + Arrays.toString(e.getStackTrace()), e);
        }
    }

    /** Echoes every byte back, a thread per connection; closes when the client does. */
    private static final class EchoServer implements AutoCloseable {
        final ServerSocket listener;
        final AtomicLong received = new AtomicLong();
        final AtomicLong resets = new AtomicLong();
        final AtomicLong open = new AtomicLong();
        final List<Socket> sockets = new CopyOnWriteArrayList<>();

        EchoServer() throws IOException {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofPlatform().daemon().name("echo-accept").start(this::accept);
        }

        int port() {
            return listener.getLocalPort();
        }

        private void accept() {
            while (!listener.isClosed()) {
                try {
                    Socket s = listener.accept();
                    sockets.add(s);
                    open.incrementAndGet();
                    Thread.ofPlatform().daemon().name("echo").start(() -> echo(s));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void echo(Socket s) {
            try (s; InputStream in = s.getInputStream()) {
                byte[] buf = new byte[8192];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    received.addAndGet(n);
                    s.getOutputStream().write(buf, 0, n);
                }
            } catch (SocketException e) {
                if (String.valueOf(e.getMessage()).contains("reset")) {
                    resets.incrementAndGet();
                }
            } catch (IOException e) {
                throw new AssertionError("echo failed", e);
            } finally {
                open.decrementAndGet();
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
