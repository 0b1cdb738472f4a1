package crumbhub.server;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.server.config.HostPort;
import crumbhub.server.config.LimitOptions;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.server.core.LoginThrottle;
import crumbhub.testkit.Await;
import crumbhub.testkit.ManualTime;
import crumbhub.wire.AuthFrame;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.loop.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 wrong passwords against one account from one address (127.0.0.2): they are throttled
 * on the doubling schedule of the defaults (1 s doubling to 60 s), and the owner still logs in
 * from another address (127.0.0.3). The server's clocks are one {@link ManualTime} that the test
 * moves by hand, one base delay per step, so the held-back replies and the blocks end on the
 * throttle's own schedule, and the test compares the guesses checked with what that schedule
 * allows in the time that passed: no wall-clock duration is measured or assumed.
 */
class BruteForceTest {
    private static final int GUESSES = 1_000;
    private static final int CONNECTIONS = 8;
    private static final Duration BASE = Duration.ofSeconds(1);
    private static final Duration CAP = Duration.ofSeconds(60);
    private static final Duration LONG = Duration.ofDays(365);

    @TempDir
    Path data;

    @Test
    void aThousandWrongPasswordsFromOneAddressAreThrottledAndTheOwnerStillLogsInFromAnother() throws Exception {
        var time = new ManualTime();
        // the server's time runs far ahead of the wall clock here: no connection timeout may end the attack
        var options = ServerOptions.builder().registration(RegistrationMode.OPEN)
                .dataDir(data).listen(new HostPort("127.0.0.1", 0)).loopThreads(1)
                .hashThreads(1).passwordIterations(1000).throttle(BASE, CAP)
                .limits(LimitOptions.unlimited().withHandshakeTimeout(LONG)).authTimeout(LONG).idleTimeout(LONG)
                .clock(time.clock()).ticks(time::nanoTime).build();
        try (var loops = new EventLoopGroup("test-client", 2); var server = Server.start(options)) {
            var attackerAddress = new InetSocketAddress("127.0.0.2", 0);
            ownerLogin(server, loops, true);

            var checked = new AtomicInteger();
            var throttled = new AtomicInteger();
            var next = new AtomicInteger();
            var failures = new java.util.concurrent.ConcurrentLinkedQueue<Throwable>();
            var attackers = new ArrayList<Thread>();
            long t0 = time.nanoTime();
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
                                case BAD_CREDENTIALS -> checked.incrementAndGet();
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
                    return ownerLogin(server, loops, false);
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            // the attackers hammer as fast as replies come; between two polls time moves on by one base
            // delay and the server runs what became due (held-back replies, ends of blocks)
            Await.until(() -> {
                time.advance(BASE);
                runDueTimers(server);
                return attackers.stream().noneMatch(Thread::isAlive);
            }, "the attackers used up their guesses");
            Duration elapsed = Duration.ofNanos(time.nanoTime() - t0);
            assertThat(failures).isEmpty();
            assertThat(checked.get() + throttled.get()).isEqualTo(GUESSES);

            // until the first failure is recorded, each connection may have one guess checked; after
            // that a guess is checked only once the previous block ended, on the doubling schedule
            int allowed = CONNECTIONS + guessesWithin(elapsed);
            assertThat(checked.get()).as("password checks in %s of the server's time", elapsed)
                    .isLessThanOrEqualTo(allowed);
            assertThat(throttled.get()).isGreaterThan(GUESSES / 2);

            // the owner logged in from elsewhere while the attack ran, and does so again right after it
            assertThat(ownerDuringAttack.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("alice");
            assertThat(ownerLogin(server, loops, false)).isEqualTo("alice");

            Duration atDefaults = LoginThrottle.timeForGuesses(BASE, CAP, GUESSES);
            System.out.printf("BruteForceTest: %d guesses from one address: %d checked, %d throttled in %s of "
                    + "the server's time (delays %s..%s); all %d checked one after another would need %d h %d min%n",
                    GUESSES, checked.get(), throttled.get(), elapsed, BASE, CAP, GUESSES, atDefaults.toHours(),
                    atDefaults.toMinutesPart());
            assertThat(atDefaults).isGreaterThan(Duration.ofHours(16));
        }
    }

    /** The most guesses one address gets checked within {@code elapsed}, by the throttle's own schedule. */
    private static int guessesWithin(Duration elapsed) {
        int n = 1;
        while (LoginThrottle.timeForGuesses(BASE, CAP, n + 1).compareTo(elapsed) <= 0) {
            n++;
        }
        return n;
    }

    private static void runDueTimers(Server server) {
        try {
            server.runDueTimers();
        } catch (Exception e) {
            throw new AssertionError("the server did not run its due timers", e);
        }
    }

    /** The owner registers ({@code first}) or logs in from 127.0.0.3 with the right password; returns the user. */
    private static String ownerLogin(Server server, EventLoopGroup loops, boolean first) throws Exception {
        try (var owner = new TestClient(server.address(), new InetSocketAddress("127.0.0.3", 0), loops.next(),
                TestClient.newKey())) {
            if (first) {
                owner.register("alice", "the right one");
            } else {
                owner.login("alice", "the right one");
            }
            return owner.auth.user();
        }
    }
}
