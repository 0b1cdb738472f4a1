package crumbhub.server;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.server.config.HostPort;
import crumbhub.server.config.LimitOptions;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.server.core.LoginThrottle;
import crumbhub.testkit.Await;
import crumbhub.wire.AuthFrame;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.loop.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 wrong passwords against one account from one address (127.0.0.2): they are throttled
 * on the doubling schedule, and the owner still logs in at once from another address (127.0.0.3).
 * The delays are scaled down by a knob ({@code throttle(base, cap)}) so the test runs in seconds;
 * the schedule of the defaults is computed by the same code and printed.
 */
class BruteForceTest {
    private static final int GUESSES = 1_000;
    private static final int CONNECTIONS = 8;
    private static final Duration BASE = Duration.ofMillis(2);
    private static final Duration CAP = Duration.ofMillis(16);

    @TempDir
    Path data;

    @Test
    void aThousandWrongPasswordsFromOneAddressAreThrottledAndTheOwnerStillLogsInFromAnother() throws Exception {
        var options = ServerOptions.builder().registration(RegistrationMode.OPEN)
                .dataDir(data).listen(new HostPort("127.0.0.1", 0)).loopThreads(1)
                .hashThreads(1).passwordIterations(1000).throttle(BASE, CAP).limits(LimitOptions.unlimited())
                .build();
        try (var loops = new EventLoopGroup("test-client", 2); var server = Server.start(options)) {
            var attackerAddress = new InetSocketAddress("127.0.0.2", 0);
            try (var owner = new TestClient(server.address(), new InetSocketAddress("127.0.0.3", 0), loops.next(),
                    TestClient.newKey())) {
                owner.register("alice", "the right one");
            }

            var checked = new AtomicInteger();
            var throttled = new AtomicInteger();
            var checkedAt = Collections.synchronizedList(new ArrayList<Long>());
            var next = new AtomicInteger();
            var failures = new java.util.concurrent.ConcurrentLinkedQueue<Throwable>();
            var attackers = new ArrayList<Thread>();
            long t0 = System.nanoTime();
            for (int k = 0; k < CONNECTIONS; k++) {
                var c = new TestClient(server.address(), attackerAddress, loops.next(), TestClient.newKey());
                attackers.add(Thread.ofPlatform().name("guesser-" + k).start(() -> {
                    try (c) {
                        int i;
                        while ((i = next.getAndIncrement()) < GUESSES) {
                            int guess = i;
                            var e = c.call(id -> new AuthFrame.Login(id, "alice", TestClient.bytes("guess " + guess), "x"),
                                    ControlFrame.Error.class);
                            switch (e.errorCode().orElseThrow()) {
                                case BAD_CREDENTIALS -> {
                                    checked.incrementAndGet();
                                    checkedAt.add(System.nanoTime());
                                }
                                case THROTTLED -> {
                                    throttled.incrementAndGet();
                                    assertThat(e.message()).startsWith("too many failed attempts;").contains("try again in");
                                }
                                default -> throw new AssertionError("unexpected " + e);
                            }
                        }
                    } catch (Exception | AssertionError e) {
                        failures.add(e);
                    }
                }));
            }
            var ownerDuringAttack = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    Await.until(() -> next.get() >= GUESSES / 2, "half of the guesses sent");
                    return ownerLogin(server, loops);
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            for (Thread t : attackers) {
                t.join(60_000);
                assertThat(t.isAlive()).isFalse();
            }
            long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(failures).isEmpty();
            assertThat(checked.get() + throttled.get()).isEqualTo(GUESSES);

            // only guesses made after the previous block ended were checked at all
            List<Long> times = new ArrayList<>(checkedAt);
            Collections.sort(times);
            long allowed = 7 + elapsedMs / CAP.toMillis() + 2;
            assertThat(checked.get()).as("password checks in %d ms", elapsedMs).isLessThanOrEqualTo((int) allowed);
            assertThat(throttled.get()).isGreaterThan(GUESSES / 2);
            long spanMs = (times.getLast() - times.getFirst()) / 1_000_000;
            long scheduleMs = LoginThrottle.timeForGuesses(BASE, CAP, checked.get()).toMillis();
            assertThat(spanMs).as("checked guesses follow the doubling schedule").isGreaterThanOrEqualTo(scheduleMs * 9 / 10);

            // the owner logged in from elsewhere while the attack ran, and does so again right after it
            assertThat(ownerDuringAttack.get(30, java.util.concurrent.TimeUnit.SECONDS)).isLessThan(2_000L);
            assertThat(ownerLogin(server, loops)).as("ms for the owner's login").isLessThan(2_000L);

            Duration atDefaults = LoginThrottle.timeForGuesses(Duration.ofSeconds(1), Duration.ofSeconds(60), GUESSES);
            System.out.printf("BruteForceTest: %d guesses from one address: %d checked, %d throttled in %d ms "
                    + "(delays %s..%s); at the defaults (1 s doubling to 60 s) %d guesses need %d h %d min%n",
                    GUESSES, checked.get(), throttled.get(), elapsedMs, BASE, CAP, GUESSES, atDefaults.toHours(),
                    atDefaults.toMinutesPart());
            assertThat(atDefaults).isGreaterThan(Duration.ofHours(16));
        }
    }

    /** The owner's login from 127.0.0.3 with the right password; returns how long it took in ms. */
    private static long ownerLogin(Server server, EventLoopGroup loops) throws Exception {
        try (var owner = new TestClient(server.address(), new InetSocketAddress("127.0.0.3", 0), loops.next(),
                TestClient.newKey())) {
            long before = System.nanoTime();
            owner.login("alice", "the right one");
            assertThat(owner.auth.user()).isEqualTo("alice");
            return (System.nanoTime() - before) / 1_000_000;
        }
    }
}
