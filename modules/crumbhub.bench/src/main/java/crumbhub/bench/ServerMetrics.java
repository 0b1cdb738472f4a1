package crumbhub.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a CrumbHub server's {@code /metrics} (the Prometheus text format, docs/operations.md
 * "Metrics") when {@code --server-metrics} is given: the soak and overload scenarios report the
 * heap live after collection and the messages waiting from it. Plain HTTP/1.0 over a socket (the
 * bench needs no HTTP client module); blocking, bounded by {@link #TIMEOUT_MS}: call from the
 * orchestrating thread, never from an event loop.
 */
final class ServerMetrics {
    /**
     * Longer than the server's own 5 s wait for its core thread, so a busy server's answer (with
     * {@code crumbhub_core_responsive 0}) still arrives.
     */
    static final int TIMEOUT_MS = 15_000;
    /** Largest answer read: the server's whole exposition is a few KiB. */
    static final int MAX_BYTES = 1 << 20;

    private final InetSocketAddress address;

    /** @param address the metrics endpoint, or null for none */
    ServerMetrics(InetSocketAddress address) {
        this.address = address;
    }

    boolean enabled() {
        return address != null;
    }

    /**
     * Every sample of the exposition by its name with labels as written ({@code name} or
     * {@code name{label="x"}}); empty without an endpoint.
     *
     * @throws BenchException if the endpoint cannot be read or does not answer 200
     */
    Map<String, Double> scrape() throws BenchException {
        if (address == null) {
            return Map.of();
        }
        try (var socket = new Socket()) {
            socket.connect(address, TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            socket.getOutputStream().write(("GET /metrics HTTP/1.0\r\nHost: " + address.getHostString()
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return parse(readAll(socket.getInputStream()));
        } catch (IOException e) {
            throw new BenchException("cannot read the server's metrics at " + BenchArgs.format(address) + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * {@link #scrape()} for the periodic samples of a long run: an endpoint that cannot be read
     * (a server too busy to answer in time, or one that just died) is reported on stderr and
     * gives an empty map, so the caller reports -1 for that sample instead of ending the run.
     */
    Map<String, Double> sample() {
        try {
            return scrape();
        } catch (BenchException e) {
            System.err.println("crumbhub-bench: " + e.getMessage() + " (sample skipped)");
            return Map.of();
        }
    }

    private static String readAll(InputStream in) throws IOException, BenchException {
        byte[] all = in.readNBytes(MAX_BYTES + 1);
        if (all.length > MAX_BYTES) {
            throw new BenchException("the server's metrics answer is over " + MAX_BYTES + " bytes");
        }
        return new String(all, StandardCharsets.UTF_8);
    }

    /** The samples of an HTTP answer carrying the text format. */
    static Map<String, Double> parse(String answer) throws BenchException {
        int body = answer.indexOf("\r\n\r\n");
        String status = answer.lines().findFirst().orElse("");
        if (body < 0 || !status.matches("HTTP/1\\.[01] 200.*")) {
            throw new BenchException("the server's metrics endpoint answered '" + status.strip() + "'");
        }
        var samples = new HashMap<String, Double>();
        for (String line : answer.substring(body + 4).split("\n")) {
            String l = line.strip();
            int space = l.lastIndexOf(' ');
            if (l.isEmpty() || l.startsWith("#") || space < 0) {
                continue;
            }
            try {
                samples.put(l.substring(0, space), Double.parseDouble(l.substring(space + 1)));
            } catch (NumberFormatException e) {
                // not a sample line; the format allows nothing else, so skip it rather than fail the run
                continue;
            }
        }
        return samples;
    }
}
