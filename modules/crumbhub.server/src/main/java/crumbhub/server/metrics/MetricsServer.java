package crumbhub.server.metrics;

import crumbhub.wire.loop.FatalErrors;
import crumbhub.wire.log.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A minimal HTTP/1.0 responder for {@code --metrics HOST:PORT} (docs/design.md §9):
 * {@code GET /metrics} answers the Prometheus text format, {@code GET /health} answers 200
 * {@code ok} or 503 with the reason. Anything else is 404. One request per connection, a request
 * head of at most {@link #MAX_HEAD} bytes. Meant for a local address: it has no authentication.
 *
 * <p>Threads: one acceptor ({@code crumbhub-metrics}) hands each connection to a virtual thread
 * of its own, at most {@link #MAX_CLIENTS} at once (more are closed at accept), so a slow client
 * delays no one else. Deadlines count from accept: the request head must be complete within
 * {@link #DEADLINE}, and the whole exchange (reading, answering, writing) within twice that, which
 * leaves room for an answer that waits up to 5 s for a busy core thread. A watchdog thread closes
 * the connection at the second deadline whatever it is doing, so a client trickling one byte at a
 * time holds its slot for {@link #DEADLINE} and no longer.
 *
 * <pre>
 *   accept --(slot free)--> read head --> answer --> write --> close
 *      |                   \__ head not complete at DEADLINE: closed
 *      |                        \___________\__________\____ at 2 x DEADLINE: closed by the watchdog
 *      +--(MAX_CLIENTS busy)--> close
 * </pre>
 */
public final class MetricsServer implements AutoCloseable {
    /** Time from accept to a complete request head: a scraper on a local address needs milliseconds. */
    public static final Duration DEADLINE = Duration.ofSeconds(5);
    /** Connections served at once: a few scrapers and health checks, with room to spare. */
    static final int MAX_CLIENTS = 32;
    static final int MAX_HEAD = 8_192;
    private static final Log LOG = Log.get("crumbhub.server.metrics");

    /** The health answer: null when healthy, else a one-line reason. */
    public interface Health {
        String problem();
    }

    private final ServerSocket socket;
    private final Supplier<String> metrics;
    private final Health health;
    private final Duration deadline;
    private final Semaphore slots = new Semaphore(MAX_CLIENTS);
    private final Thread thread;
    private final ExecutorService clients = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("crumbhub-metrics-client-", 0).factory());
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("crumbhub-metrics-watchdog").daemon(true).unstarted(r));

    private MetricsServer(ServerSocket socket, Supplier<String> metrics, Health health, Duration deadline) {
        this.socket = socket;
        this.metrics = metrics;
        this.health = health;
        this.deadline = deadline;
        this.thread = Thread.ofPlatform().name("crumbhub-metrics").daemon(true).unstarted(this::serve);
    }

    public static MetricsServer start(InetSocketAddress address, Supplier<String> metrics, Health health)
            throws IOException {
        return start(address, metrics, health, DEADLINE);
    }

    /** As {@link #start(InetSocketAddress, Supplier, Health)} with another request-head deadline (tests). */
    static MetricsServer start(InetSocketAddress address, Supplier<String> metrics, Health health, Duration deadline)
            throws IOException {
        var s = new ServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(address);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        var server = new MetricsServer(s, metrics, health, deadline);
        server.thread.start();
        return server;
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** The acceptor: never blocks on a client. */
    private void serve() {
        while (!socket.isClosed()) {
            Socket c;
            try {
                c = socket.accept();
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
                LOG.debug("metrics_accept_failed", "error", e.getMessage());
                continue;
            }
            if (!slots.tryAcquire()) {
                LOG.debug("metrics_client_refused", "busy", MAX_CLIENTS);
                closeQuietly(c);
                continue;
            }
            long due = System.nanoTime() + deadline.toNanos();
            ScheduledFuture<?> cutoff = watchdog.schedule(FatalErrors.reporting(() -> closeQuietly(c)), 2 * deadline.toNanos(),
                    TimeUnit.NANOSECONDS);
            try {
                clients.execute(() -> {
                    try {
                        exchange(c, due);
                    } finally {
                        cutoff.cancel(false);
                        closeQuietly(c);
                        slots.release();
                    }
                });
            } catch (RejectedExecutionException e) {
                cutoff.cancel(false);
                closeQuietly(c);
                slots.release();
                return;
            }
        }
    }

    /** One request on its own virtual thread; {@code due}: the request head's deadline ({@link System#nanoTime()}). */
    private void exchange(Socket c, long due) {
        try {
            String path = requestPath(c, due);
            respond(c.getOutputStream(), path);
        } catch (SocketTimeoutException e) {
            LOG.debug("metrics_client_too_slow", "deadline_ms", deadline.toMillis());
        } catch (IOException e) {
            LOG.debug("metrics_client_failed", "error", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error(e, "metrics_failed");
        }
    }

    private static void closeQuietly(Socket c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.debug("metrics_close_failed", "error", e.getMessage());
        }
    }

    /** The path of a GET request, or null for anything else. */
    private static String requestPath(Socket c, long due) throws IOException {
        InputStream in = c.getInputStream();
        byte[] head = new byte[MAX_HEAD];
        int n = 0;
        while (n < head.length) {
            long left = TimeUnit.NANOSECONDS.toMillis(due - System.nanoTime());
            if (left <= 0) {
                throw new SocketTimeoutException("request head not complete by the deadline");
            }
            c.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
            int r = in.read(head, n, head.length - n);
            if (r < 0) {
                break;
            }
            n += r;
            String s = new String(head, 0, n, StandardCharsets.ISO_8859_1);
            if (s.contains("\r\n\r\n") || s.contains("\n\n")) {
                break;
            }
        }
        String first = new String(head, 0, n, StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
        String[] parts = first.split(" ");
        if (parts.length < 2 || !parts[0].equals("GET")) {
            return null;
        }
        int q = parts[1].indexOf('?');
        return q < 0 ? parts[1] : parts[1].substring(0, q);
    }

    private void respond(OutputStream out, String path) throws IOException {
        int status;
        String type = "text/plain; charset=utf-8";
        String body;
        if ("/metrics".equals(path)) {
            status = 200;
            type = "text/plain; version=0.0.4; charset=utf-8";
            body = metrics.get();
        } else if ("/health".equals(path)) {
            String problem = health.problem();
            status = problem == null ? 200 : 503;
            body = (problem == null ? "ok" : problem) + "\n";
        } else {
            status = path == null ? 405 : 404;
            body = (path == null ? "only GET" : "not found; try /metrics or /health") + "\n";
        }
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String reason = switch (status) {
            case 200 -> "OK";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            default -> "Service Unavailable";
        };
        String head = "HTTP/1.0 " + status + " " + reason + "\r\nContent-Type: " + type + "\r\nContent-Length: "
                + b.length + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(b);
        out.flush();
    }

    /** Stops accepting, cuts off connections in progress and waits briefly for their threads. Blocks. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("metrics_close_failed", "error", e.getMessage());
        }
        try {
            thread.join(2_000);
            clients.shutdownNow();
            clients.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watchdog.shutdownNow();
    }
}
