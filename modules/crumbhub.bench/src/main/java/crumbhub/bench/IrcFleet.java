package crumbhub.bench;

import crumbhub.wire.loop.EventLoop;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Bench clients on an IRC server: each registers a nick ({@code --user-prefix} and its number)
 * and joins a channel per room. IRC has no accounts, so nothing is kept between runs.
 */
final class IrcFleet implements Fleet {
    /** JOINs in flight. */
    static final int JOIN_PARALLEL = 256;

    private final LoadContext ctx;
    private final BenchOptions options;
    private final byte[][] privmsgPrefix;
    private final Map<EventLoop, IrcClient.Shared> shared = new IdentityHashMap<>();

    IrcFleet(LoadContext ctx) {
        this.ctx = ctx;
        this.options = ctx.options();
        this.privmsgPrefix = new byte[options.effectiveRooms()][];
        for (int r = 0; r < privmsgPrefix.length; r++) {
            privmsgPrefix[r] = ("PRIVMSG " + roomName(r) + " :").getBytes(StandardCharsets.US_ASCII);
        }
    }

    @Override
    public String roomName(int r) {
        return "#" + options.roomPrefix() + r;
    }

    @Override
    public List<LoadClient> connect(int first, int count) throws BenchException {
        long deadline = System.nanoTime() + options.setupTimeout().toNanos();
        List<IrcClient> clients = Parallel.run(count, options.connectParallel(), deadline,
                "registering " + count + " IRC clients", k -> {
                    int i = first + k;
                    EventLoop loop = ctx.loopFor(i);
                    return IrcClient.connect(i, options.userPrefix() + i, options.server(), options.sourceAddress(i),
                            loop, ctx.statsOf(loop), sharedOf(loop), privmsgPrefix);
                }, () -> { });
        return List.copyOf(clients);
    }

    private synchronized IrcClient.Shared sharedOf(EventLoop loop) {
        return shared.computeIfAbsent(loop, l -> new IrcClient.Shared());
    }

    @Override
    public void formRooms(List<LoadClient> clients, int[] roomOf, int rooms) throws BenchException {
        long deadline = System.nanoTime() + options.setupTimeout().toNanos();
        Parallel.run(clients.size(), JOIN_PARALLEL, deadline, "joining channels", i -> {
            var c = (IrcClient) clients.get(i);
            CompletableFuture<Void> joined = c.join(roomName(roomOf[i]));
            return joined;
        }, () -> { });
    }
}
