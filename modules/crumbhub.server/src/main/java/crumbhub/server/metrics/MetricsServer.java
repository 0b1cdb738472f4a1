package crumbhub.server.metrics;

import crumbhub.wire.log.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * A minimal HTTP/1.0 responder for {@code --metrics HOST:PORT} (docs/design.md §9), on one dedicated
 * thread: {@code GET /metrics} answers the Prometheus text format, {@code GET /health} answers
 * 200 {@code ok} or 503 with the reason. Anything else is 404. One request per connection; a
 * client gets {@link #READ_TIMEOUT_MS} to send its request head of at most {@link #MAX_HEAD}
 * bytes. Meant for a local address: it has no authentication.
 */
public final class MetricsServer implements AutoCloseable {
    static final int READ_TIMEOUT_MS = 5_000;
    static final int MAX_HEAD = 8_192;
    private static final Log LOG = Log.get("crumbhub.server.metrics");

    /** The health answer: null when healthy, else a one-line reason. */
    public interface Health {
        String problem();
    }

    private final ServerSocket socket;
    private final Supplier<String> metrics;
    private final Health health;
    private final Thread thread;

    private MetricsServer(ServerSocket socket, Supplier<String> metrics, Health health) {
        this.socket = socket;
        this.metrics = metrics;
        this.health = health;
        this.thread = Thread.ofPlatform().name("crumbhub-metrics").daemon(true).unstarted(this::serve);
    }

    public static MetricsServer start(InetSocketAddress address, Supplier<String> metrics, Health health)
            throws IOException {
        var s = new ServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(address);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        var server = new MetricsServer(s, metrics, health);
        server.thread.start();
        return server;
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket c = socket.accept()) {
                c.setSoTimeout(READ_TIMEOUT_MS);
                String path = requestPath(c.getInputStream());
                respond(c.getOutputStream(), path);
            } catch (SocketException e) {
                if (socket.isClosed()) {
                    return;
                }
                LOG.debug("metrics_client_failed", "error", e.getMessage());
            } catch (IOException e) {
                LOG.debug("metrics_client_failed", "error", e.getMessage());
            } catch (RuntimeException e) {
                LOG.error(e, "metrics_failed");
            }
        }
    }

    /** The path of a GET request, or null for anything else. */
    private static String requestPath(InputStream in) throws IOException {
        byte[] head = new byte[MAX_HEAD];
        int n = 0;
        while (n < head.length) {
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

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("metrics_close_failed", "error", e.getMessage());
        }
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
