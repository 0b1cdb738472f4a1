package crumbhub.server;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.crypto.X25519KeyPair;
import crumbhub.server.config.HostPort;
import crumbhub.server.config.LimitOptions;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.Quotas;
import crumbhub.testkit.Await;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.wire.AuthFrame;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.Frame;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.MessageId;
import crumbhub.wire.RoomFrame;
import crumbhub.wire.TargetKind;
import crumbhub.wire.loop.EventLoopGroup;
import crumbhub.wire.net.ConnectionOptions;
import crumbhub.wire.net.RpcClient;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One receiver stops reading while 50 others chat (docs/threading.md §5): the others' latency
 * stays within twice that of a run where the receiver is simply offline, the server's heap grows
 * no more than with the offline receiver (plus at most the stalled connection's bound), and the
 * stalled device later catches up on everything, in order, exactly once.
 */
class StalledReaderTest {
    private static final boolean SOAK = Boolean.getBoolean("crumbhub.soak");
    private static final int CHATTERS = 50;
    /** Rounds per phase; each round every chatter sends one message. */
    private static final int ROUNDS = SOAK ? 100 : 10;
    private static final long ROUND_MS = 200;
    /** Large direct messages to the stalled user per phase: a backlog far beyond its outbound bound. */
    private static final int BULK = SOAK ? 1_000 : 200;
    private static final int BULK_BYTES = 20_000;
    private static final long OUTBOUND = 256 * 1024;

    @TempDir
    Path data;

    /** A chatter: records the latency of every message it receives. */
    private static final class Chatter implements AutoCloseable {
        final RpcClient rpc;
        final String name;

        Chatter(RpcClient rpc, String name) {
            this.rpc = rpc;
            this.name = name;
        }

        Frame call(java.util.function.IntFunction<Frame> f) throws Exception {
            return rpc.request(f).get(20, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            rpc.close();
        }
    }

    private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    private final AtomicLong delivered = new AtomicLong();

    private Chatter chatter(Server server, EventLoopGroup loops, String name, X25519KeyPair key) throws Exception {
        var rpc = RpcClient.connect(server.address(), loops.next(), key, k -> true, f -> {
            if (f instanceof MessageFrame.Deliver d && d.body().length >= 8 && d.target().equals("chat")) {
                latencies.add(System.nanoTime() - ByteBuffer.wrap(d.body()).getLong());
                delivered.incrementAndGet();
            }
        }, ConnectionOptions.client()).get(10, TimeUnit.SECONDS);
        return new Chatter(rpc, name);
    }

    @Test
    void aReceiverThatStopsReadingSlowsNobodyAndCostsNoMoreMemoryThanAnOfflineOne() throws Exception {
        var options = ServerOptions.builder().registration(RegistrationMode.OPEN)
                .dataDir(data).listen(new HostPort("127.0.0.1", 0)).loopThreads(2)
                .hashThreads(1).passwordIterations(1000).maxOutboundBytes(OUTBOUND).limits(LimitOptions.unlimited())
                .quotas(Quotas.unlimited()).build();
        try (var loops = new EventLoopGroup("chatters", 2); var server = Server.start(options)) {
            var chatters = new ArrayList<Chatter>();
            for (int i = 0; i < CHATTERS; i++) {
                var c = chatter(server, loops, String.format("c%02d", i), TestClient.newKey());
                Frame r = c.call(id -> new AuthFrame.Register(id, c.name, TestClient.bytes("password"), "", "d"));
                assertThat(r).isInstanceOf(AuthFrame.AuthOk.class);
                chatters.add(c);
            }
            var slowKey = TestClient.newKey();
            AuthFrame.AuthOk slowAuth;
            try (var slow = new TestClient(server.address(), loops.next(), slowKey)) {
                slowAuth = slow.register("slow", "password").auth;
            }
            var bulk = chatter(server, loops, "bulk", TestClient.newKey());
            bulk.call(id -> new AuthFrame.Register(id, "bulk", TestClient.bytes("password"), "", "d"));
            var owner = chatters.getFirst();
            owner.call(id -> new RoomFrame.RoomCreate(id, "chat"));
            for (String member : names(chatters, "slow")) {
                if (!member.equals(owner.name)) {
                    owner.call(id -> new RoomFrame.RoomInvite(id, "chat", member));
                }
            }
            for (Chatter c : chatters.subList(1, CHATTERS)) {
                c.call(id -> new RoomFrame.RoomJoin(id, "chat"));
            }
            try (var join = new TestClient(server.address(), loops.next(), slowKey)) {
                join.resume(slowAuth);
                join.call(id -> new RoomFrame.RoomJoin(id, "chat"), ControlFrame.Ok.class);
            }
            for (Chatter c : chatters) {
                assertThat(c.call(MessageFrame.Sync::new)).isInstanceOf(MessageFrame.SyncDone.class);
            }

            phase(chatters, bulk, ROUNDS / 2, 0); // warm-up, so both measured phases run compiled code

            // phase A: the receiver is offline, its messages wait in its mailbox; phase B: it is connected,
            // asked for everything, and reads nothing more. On a shared machine another process can
            // stall a phase now and then, so a pair is measured again (at most three times) if it looks off.
            long heap0 = 0;
            long heapA = 0;
            long heapB = 0;
            int phases = 0;
            Stats offline = null;
            Stats stall = null;
            var attempts = new ArrayList<String>();
            for (int attempt = 0; attempt < 3; attempt++) {
                if (attempt == 0) {
                    heap0 = heapAfterGc();
                }
                offline = phase(chatters, bulk, ROUNDS, BULK);
                if (attempt == 0) {
                    heapA = heapAfterGc();
                }
                try (var stalled = new RawPeer(server.address(), "127.0.0.1", 4096)) {
                    stalled.handshake(slowKey);
                    stalled.send(new AuthFrame.Resume(1, "slow", slowAuth.deviceId(), slowAuth.token()));
                    assertThat(stalled.reply(1)).isInstanceOf(AuthFrame.AuthOk.class);
                    stalled.send(new MessageFrame.Sync(2));
                    stall = phase(chatters, bulk, ROUNDS, BULK);
                    if (attempt == 0) {
                        heapB = heapAfterGc();
                    }
                }
                phases += 2;
                attempts.add(String.format("p50 %.2f -> %.2f ms, p99 %.2f -> %.2f ms", offline.p50(), stall.p50(),
                        offline.p99(), stall.p99()));
                if (withinTwice(offline, stall)) {
                    break;
                }
            }

            long growthOffline = heapA - heap0;
            long growthStalled = heapB - heapA;
            System.out.printf("StalledReaderTest: %d chatters x %d rounds, offline -> stalled: %s; heap growth %d KiB "
                            + "offline, %d KiB stalled; stalled backlog about %d KiB%n", CHATTERS, ROUNDS, attempts,
                    growthOffline / 1024, growthStalled / 1024, ((long) BULK * BULK_BYTES + 100L * ROUNDS * CHATTERS) / 1024);
            // below 5 ms a median, and below 50 ms a p99, on a shared two-core machine is scheduler noise
            assertThat(stall.p50()).as("p50 latency of the others; %s", attempts)
                    .isLessThanOrEqualTo(2 * Math.max(offline.p50(), 5.0));
            assertThat(stall.p99()).as("p99 latency of the others; %s", attempts)
                    .isLessThanOrEqualTo(2 * Math.max(offline.p99(), 50.0));
            assertThat(growthStalled - growthOffline).as("heap beyond what an offline receiver costs")
                    .isLessThan(4 * OUTBOUND + (4L << 20));

            // later the device reads again and catches up on both phases, in order, exactly once
            try (var back = new RawPeer(server.address(), "127.0.0.1")) {
                back.handshake(slowKey);
                back.send(new AuthFrame.Resume(1, "slow", slowAuth.deviceId(), slowAuth.token()));
                assertThat(back.reply(1)).isInstanceOf(AuthFrame.AuthOk.class);
                back.send(new MessageFrame.Sync(2));
                var seqs = new ArrayList<Long>();
                Frame f;
                while (!((f = back.next()) instanceof MessageFrame.SyncDone)) {
                    seqs.add(((MessageFrame.Deliver) f).seq());
                }
                assertThat(seqs).hasSize(ROUNDS / 2 * CHATTERS + phases * (ROUNDS * CHATTERS + BULK));
                assertThat(new HashSet<>(seqs)).hasSameSizeAs(seqs);
                var sorted = new ArrayList<>(seqs);
                sorted.sort(null);
                assertThat(seqs).isEqualTo(sorted);
            }
            chatters.forEach(Chatter::close);
            bulk.close();
        }
    }

    private static List<String> names(List<Chatter> chatters, String extra) {
        var out = new ArrayList<String>();
        chatters.forEach(c -> out.add(c.name));
        out.add(extra);
        return out;
    }

    private record Stats(double p50, double p99) {}

    private static boolean withinTwice(Stats offline, Stats stall) {
        return stall.p50() <= 2 * Math.max(offline.p50(), 5.0) && stall.p99() <= 2 * Math.max(offline.p99(), 50.0);
    }

    /** Every chatter sends one message per round; the bulk user fills the receiver's mailbox meanwhile. */
    private Stats phase(List<Chatter> chatters, Chatter bulk, int rounds, int bulkMessages) throws Exception {
        latencies.clear();
        delivered.set(0);
        var acks = new ArrayList<CompletableFuture<Frame>>();
        byte[] big = new byte[BULK_BYTES];
        Arrays.fill(big, (byte) 'b');
        int bulkSent = 0;
        long start = System.nanoTime();
        long stepNanos = ROUND_MS * 1_000_000 / CHATTERS;
        for (int round = 0; round < rounds; round++) {
            // the chatters take turns evenly through the round, like people typing, not all at once
            for (int i = 0; i < CHATTERS; i++) {
                long due = start + ((long) round * CHATTERS + i) * stepNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    // pacing the load, not waiting for a state: the latencies measured are those of evenly spaced sends
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                byte[] body = ByteBuffer.allocate(100).putLong(System.nanoTime()).array();
                acks.add(chatters.get(i).rpc.request(id -> new MessageFrame.Send(id, TargetKind.ROOM, "chat",
                        MessageId.random(RawPeer.RANDOM), 0, body)));
                if (i % (CHATTERS / 5) == 0 && bulkSent < (long) (round + 1) * bulkMessages / rounds) {
                    for (int b = 0; b < bulkMessages / rounds / 5 + 1 && bulkSent < bulkMessages; b++, bulkSent++) {
                        acks.add(bulk.rpc.request(id -> new MessageFrame.Send(id, TargetKind.DIRECT, "slow",
                                MessageId.random(RawPeer.RANDOM), 0, big)));
                    }
                }
            }
        }
        while (bulkSent < bulkMessages) {
            bulkSent++;
            acks.add(bulk.rpc.request(id -> new MessageFrame.Send(id, TargetKind.DIRECT, "slow",
                    MessageId.random(RawPeer.RANDOM), 0, big)));
        }
        for (var a : acks) {
            assertThat(a.get(30, TimeUnit.SECONDS)).isInstanceOf(MessageFrame.SendOk.class);
        }
        long expected = (long) rounds * CHATTERS * (CHATTERS - 1);
        Await.until(() -> delivered.get() >= expected, "every delivery to the chatters");
        assertThat(delivered.get()).as("deliveries to the chatters").isEqualTo(expected);
        long[] all = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Stats(all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6);
    }

    private static long heapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc(); // a full collection, done when it returns (G1 without ExplicitGCInvokesConcurrent)
            best = Math.min(best, rt.totalMemory() - rt.freeMemory());
        }
        return best;
    }
}
