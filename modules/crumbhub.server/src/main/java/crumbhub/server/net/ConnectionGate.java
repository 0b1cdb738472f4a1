package crumbhub.server.net;

import crumbhub.wire.log.Log;
import crumbhub.wire.net.Admission;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connection limits, checked at accept before any handshake work: at most {@code max}
 * connections at once and at most {@code maxPerAddress} from one address ({@link AddressKey}).
 * Handshakes that never finish count like any other connection until the handshake timeout
 * ends them, so a handshake flood from one address is capped at its share.
 *
 * <p>Thread-safe: {@link #admit} runs on the acceptor loop, releases on any loop thread. Memory
 * is one map entry per address with an open connection.
 */
final class ConnectionGate implements Admission {
    private static final Log LOG = Log.get("crumbhub.server.net");

    private final int max;
    private final int maxPerAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();

    ConnectionGate(int max, int maxPerAddress) {
        this.max = max;
        this.maxPerAddress = maxPerAddress;
    }

    @Override
    public Runnable admit(InetSocketAddress remote) {
        String key = AddressKey.of(remote);
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            refuse(key, "max_connections");
            return null;
        }
        int n = perAddress.merge(key, 1, Integer::sum);
        if (n > maxPerAddress) {
            release(key);
            refuse(key, "max_connections_per_address");
            return null;
        }
        var once = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (once.compareAndSet(false, true)) {
                release(key);
            }
        };
    }

    private void release(String key) {
        perAddress.computeIfPresent(key, (k, v) -> v <= 1 ? null : v - 1);
        open.decrementAndGet();
    }

    private void refuse(String key, String limit) {
        long n = refused.incrementAndGet();
        // one line per burst, not per connection: a flood must not flood the log as well
        if (Long.bitCount(n) == 1) {
            LOG.warn("connections_refused", "addr", key, "limit", limit, "refused_total", n);
        }
    }

    /** Connections open now. */
    int open() {
        return open.get();
    }

    /** Connections open now from the address of {@code remote}. */
    int openFrom(InetSocketAddress remote) {
        return perAddress.getOrDefault(AddressKey.of(remote), 0);
    }

    /** Connections refused since start. */
    long refused() {
        return refused.get();
    }
}
