package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import crumbhub.testkit.Await;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The long kill -9 soak ({@code -Psoak}): 20 random {@code kill -9}/restart cycles of the server
 * image while several senders write to a room and to each other directly; afterwards every
 * acknowledged message ({@code send} exited 0) is delivered exactly once to every device it was
 * for, and no message (acknowledged or not) more than once. The normal build runs the 3-kill
 * {@link CrashRecoveryTest} instead.
 */
class CrashSoakTest {
    private static final long SEED = Long.getLong("crumbhub.seed", 20_261_126L);
    private static final int KILLS = Integer.getInteger("crumbhub.crash.soak.kills", 20);
    private static final String ROOM = "#soak";

    /** One acknowledged message and who must receive it. */
    private record Sent(String from, String target, String text) {}

    @Test
    void everyAcknowledgedMessageOfManySendersIsDeliveredExactlyOnceAcrossTwentyKills(@TempDir Path tmp)
            throws Exception {
        assumeTrue(Boolean.getBoolean("crumbhub.soak"), "runs in the soak profile (-Psoak)");
        System.out.println("CrashSoakTest seed=" + SEED + " kills=" + KILLS);
        var random = new SplittableRandom(SEED);
        Path data = tmp.resolve("data");
        List<String> names = List.of("alice", "bob", "carol", "dave");
        Map<String, ClientHome> homes = new HashMap<>();
        for (String n : names) {
            homes.put(n, new ClientHome(n, tmp.resolve(n)));
        }
        ServerProcess server = ServerProcess.start(data, 0);
        int port = server.port;
        try {
            for (String n : names) {
                homes.get(n).register(server, n + " password");
            }
            homes.get("alice").ok("room", "create", ROOM);
            for (String n : names.subList(1, names.size())) {
                homes.get("alice").ok("room", "invite", ROOM, n);
                homes.get(n).ok("room", "join", ROOM);
            }

            // three senders; dave only reads. Targets alternate between the room and direct messages
            var acknowledged = new ConcurrentLinkedQueue<Sent>();
            var refused = new java.util.concurrent.atomic.AtomicInteger();
            var stop = new AtomicBoolean();
            var senders = new ArrayList<Thread>();
            for (String from : List.of("alice", "bob", "carol")) {
                long seed = random.nextLong();
                senders.add(Thread.ofPlatform().name("sender-" + from).start(() -> {
                    var r = new SplittableRandom(seed);
                    for (int i = 0; !stop.get() && i < 100_000; i++) {
                        String target = r.nextInt(3) == 0 ? ROOM : "@" + names.get(r.nextInt(names.size()));
                        if (target.equals("@" + from)) {
                            target = ROOM;
                        }
                        String text = from + "-" + i;
                        if (homes.get(from).run("send", target, text).exit() == 0) {
                            acknowledged.add(new Sent(from, target, text));
                        } else {
                            refused.incrementAndGet();
                        }
                    }
                }));
            }
            long started = System.nanoTime();
            for (int k = 0; k < KILLS; k++) {
                // each server life acknowledges a seeded random number of sends, then is killed mid-stream,
                // and stays down until a sender noticed
                int ackedBefore = acknowledged.size();
                int acks = 1 + random.nextInt(10);
                Await.until(() -> acknowledged.size() >= ackedBefore + acks, acks + " sends acknowledged before kill "
                        + (k + 1));
                server.kill();
                int refusedBefore = refused.get();
                Await.until(() -> refused.get() > refusedBefore, "a send refused after kill " + (k + 1));
                server = ServerProcess.start(data, port);
                System.out.printf("kill %d/%d: restarted in %d ms, %d acknowledged so far%n", k + 1, KILLS,
                        server.startMillis, acknowledged.size());
            }
            int ackedBefore = acknowledged.size();
            Await.until(() -> acknowledged.size() >= ackedBefore + 3, "sends acknowledged after the last restart");
            stop.set(true);
            for (Thread t : senders) {
                t.join(120_000);
                assertThat(t.isAlive()).isFalse();
            }
            server.kill();
            server = ServerProcess.start(data, port);

            // every device gets each message meant for it exactly once
            Map<String, List<String>> expected = new HashMap<>();
            for (Sent s : acknowledged) {
                for (String n : names) {
                    boolean forN = s.target().equals(ROOM) ? !n.equals(s.from()) : s.target().equals("@" + n);
                    if (forN) {
                        expected.computeIfAbsent(n, x -> new ArrayList<>()).add(s.text());
                    }
                }
            }
            int deliveries = 0;
            for (String n : names) {
                List<Map<String, Object>> got = homes.get(n).listenJson(1_000_000, 8);
                Map<String, Integer> seen = new HashMap<>();
                for (Map<String, Object> m : got) {
                    seen.merge((String) m.get("text"), 1, Integer::sum);
                }
                List<String> twice = seen.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                        .toList();
                assertThat(twice).as("delivered to %s more than once", n).isEmpty();
                assertThat(seen.keySet()).as("acknowledged messages for %s", n)
                        .containsAll(expected.getOrDefault(n, List.of()));
                assertThat(homes.get(n).listenJson(100, 2)).as("nothing new for %s on a second listen", n).isEmpty();
                deliveries += got.size();
            }
            System.out.printf("CrashSoakTest: %d kill -9 cycles in %d s, %d messages acknowledged, %d deliveries "
                            + "checked, seed %d%n", KILLS, (System.nanoTime() - started) / 1_000_000_000L,
                    acknowledged.size(), deliveries, SEED);
            assertThat(acknowledged.size()).isGreaterThan(KILLS);
        } finally {
            server.close();
        }
    }
}
