package crumbhub.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.testkit.Await;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The metrics endpoint over real sockets on 127.0.0.1: slow clients hold no one up and are cut off. */
class MetricsServerTest {
    /** Request-head deadline for these tests, short so that the cut-off comes quickly. */
    private static final Duration DEADLINE = Duration.ofSeconds(2);

    private final ScheduledExecutorService tricklers = Executors.newScheduledThreadPool(2);
    private final List<Socket> sockets = new ArrayList<>();
    private MetricsServer server;

    @AfterEach
    void stop() throws IOException {
        tricklers.shutdownNow();
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private MetricsServer start() throws IOException {
        server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0), () -> "crumbhub_up 1\n", () -> null,
                DEADLINE);
        return server;
    }

    private Socket connect() throws IOException {
        var s = new Socket();
        sockets.add(s);
        s.connect(server.localAddress());
        return s;
    }

    /** Sends {@code GET /health HTTP/1.0} one byte a second, from a timer: never completes in time. */
    private Socket trickle(AtomicBoolean writeFailed) throws IOException {
        Socket s = connect();
        OutputStream out = s.getOutputStream();
        byte[] request = "GET /health HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        int[] next = {0};
        tricklers.scheduleAtFixedRate(() -> {
            if (next[0] < request.length && !writeFailed.get()) {
                try {
                    out.write(request[next[0]++]);
                    out.flush();
                } catch (IOException e) {
                    writeFailed.set(true);
                }
            }
        }, 0, 1, TimeUnit.SECONDS);
        return s;
    }

    /** The whole response to {@code GET path}, read with {@code bound} as the longest wait for any byte. */
    private String get(String path, Duration bound) throws IOException {
        try (Socket s = connect()) {
            s.setSoTimeout((int) bound.toMillis());
            s.getOutputStream().write(("GET " + path + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aTricklingClientDelaysNoOneElseAndIsClosedAtTheDeadline() throws Exception {
        start();
        var failed = new AtomicBoolean();
        Socket slow = trickle(failed);
        trickle(new AtomicBoolean());
        // with one client at a time, /health would wait behind both tricklers: a read times out first
        String health = get("/health", DEADLINE.dividedBy(2));
        assertThat(health).startsWith("HTTP/1.0 200 OK").endsWith("\r\n\r\nok\n");
        assertThat(get("/metrics", DEADLINE.dividedBy(2))).contains("crumbhub_up 1");

        slow.setSoTimeout((int) DEADLINE.multipliedBy(5).toMillis());
        int first;
        try {
            first = slow.getInputStream().read();
        } catch (SocketException reset) {
            first = -1;
        }
        assertThat(first).as("the trickling client is closed at the deadline, unanswered").isEqualTo(-1);
        Await.until(failed::get, "the trickling client's writes fail once it is closed");
    }

    @Test
    void aClientThatSendsNothingIsClosedAtTheDeadline() throws Exception {
        start();
        Socket idle = connect();
        idle.setSoTimeout((int) DEADLINE.multipliedBy(5).toMillis());
        int first;
        try {
            first = idle.getInputStream().read();
        } catch (SocketException reset) {
            first = -1;
        }
        assertThat(first).isEqualTo(-1);
        assertThat(get("/health", DEADLINE)).startsWith("HTTP/1.0 200 OK");
    }
}
