package crumbhub.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private Instant now = Instant.parse("2025-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
        public Clock withZone(java.time.ZoneId z) { return this; }
        public Instant instant() { return now; }
    };

    @Test
    void delayDoublesPerFailureFromOneAddressUpToTheCap() {
        var t = new LoginThrottle(clock, Duration.ofSeconds(1), Duration.ofSeconds(8), 100);
        assertThat(t.failure("alice", "1.2.3.4")).isEqualTo(Duration.ofSeconds(1));
        assertThat(t.failure("bob", "1.2.3.4")).isEqualTo(Duration.ofSeconds(2));
        assertThat(t.failure("alice", "1.2.3.4")).isEqualTo(Duration.ofSeconds(4));
        assertThat(t.failure("carol", "1.2.3.4")).isEqualTo(Duration.ofSeconds(8));
        assertThat(t.failure("alice", "1.2.3.4")).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void oneAddressFailingDoesNotLockTheAccountForOthers() {
        var t = new LoginThrottle(clock, Duration.ofSeconds(1), Duration.ofSeconds(60), 100);
        for (int i = 0; i < 20; i++) {
            t.failure("alice", "6.6.6.6");
        }
        assertThat(t.retryAfter("alice", "6.6.6.6")).isEqualTo(Duration.ofSeconds(60));
        assertThat(t.retryAfter("bob", "6.6.6.6")).as("the address is blocked for every account").isPositive();
        assertThat(t.retryAfter("alice", "1.1.1.1")).as("the owner elsewhere is not").isZero();
        now = now.plusSeconds(60);
        assertThat(t.retryAfter("alice", "6.6.6.6")).isZero();
    }

    @Test
    void failuresFromSeveralAddressesThrottleTheAccountEverywhere() {
        var t = new LoginThrottle(clock, Duration.ofSeconds(1), Duration.ofSeconds(60), 100);
        assertThat(t.failure("alice", "1.0.0.1")).isEqualTo(Duration.ofSeconds(1));
        assertThat(t.failure("alice", "1.0.0.2")).isEqualTo(Duration.ofSeconds(1));
        assertThat(t.retryAfter("alice", "9.9.9.9")).isZero();
        assertThat(t.failure("alice", "1.0.0.3")).as("the third address arms the account").isEqualTo(Duration.ofSeconds(4));
        assertThat(t.retryAfter("alice", "9.9.9.9")).isEqualTo(Duration.ofSeconds(4));
        assertThat(t.retryAfter("bob", "9.9.9.9")).isZero();
        now = now.plusSeconds(4);
        assertThat(t.retryAfter("alice", "9.9.9.9")).isZero();
    }

    @Test
    void successClearsTheAccountButNotTheAddress() {
        var t = new LoginThrottle(clock, Duration.ofSeconds(1), Duration.ofSeconds(60), 100);
        for (String a : new String[] {"1.0.0.1", "1.0.0.2", "1.0.0.3"}) {
            t.failure("alice", a);
        }
        assertThat(t.retryAfter("alice", "7.7.7.7")).isPositive();
        t.success("alice", "9.9.9.9");
        assertThat(t.retryAfter("alice", "7.7.7.7")).isZero();
        assertThat(t.retryAfter("carol", "1.0.0.1")).isPositive();
    }

    @Test
    void spreadFailuresDoNotHoldTheOwnersKnownAddressesOrDevices() {
        var t = new LoginThrottle(clock, Duration.ofSeconds(1), Duration.ofSeconds(60), 100);
        t.loggedIn("alice", "9.9.9.9");
        for (String a : new String[] {"1.0.0.1", "1.0.0.2", "1.0.0.3", "1.0.0.4"}) {
            t.failure("alice", a);
            t.failure("alice", a);
        }
        assertThat(t.retryAfter("alice", "7.7.7.7")).as("an unknown address").isPositive();
        assertThat(t.retryAfter("alice", "9.9.9.9")).as("an address that logged in before").isZero();
        assertThat(t.retryAfter("alice", "7.7.7.7", true)).as("one of alice's devices").isZero();
        assertThat(t.failure("alice", "9.9.9.9")).as("the owner's typo costs only its address's delay")
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(t.isKnown("bob", "9.9.9.9")).isFalse();
    }

    @Test
    void aThousandGuessesFromOneAddressTakeAboutSixteenHoursWithTheDefaults() {
        Duration total = LoginThrottle.timeForGuesses(Duration.ofSeconds(1), Duration.ofSeconds(60), 1_000);
        // 1 + 2 + 4 + 8 + 16 + 32 s, then 60 s for each of the remaining 993 waits
        assertThat(total).isEqualTo(Duration.ofSeconds(63 + 993 * 60));
        assertThat(total).isGreaterThan(Duration.ofHours(16));
        // and the live throttle agrees, guess by guess, on a hand-moved clock
        var t = new LoginThrottle(clock, Duration.ofSeconds(1), Duration.ofSeconds(60), 100);
        Duration waited = Duration.ZERO;
        for (int i = 0; i < 1_000; i++) {
            Duration wait = t.retryAfter("alice", "6.6.6.6");
            now = now.plus(wait);
            waited = waited.plus(wait);
            t.failure("alice", "6.6.6.6");
        }
        assertThat(waited).isEqualTo(total);
    }

    @Test
    void quietKeysAreForgottenAndMemoryIsBounded() {
        var t = new LoginThrottle(clock, Duration.ofSeconds(1), Duration.ofSeconds(2), 10);
        t.failure("alice", "1.2.3.4");
        t.failure("alice", "1.2.3.4");
        now = now.plusSeconds(2 * LoginThrottle.FORGET_AFTER_CAPS + 1);
        assertThat(t.failure("alice", "1.2.3.4")).isEqualTo(Duration.ofSeconds(1));
        for (int i = 0; i < 100; i++) {
            t.failure("u" + i, "a" + i);
        }
        assertThat(t.size()).isLessThanOrEqualTo(10);
    }

    @Test
    void addressOnlyChecksIgnoreAccountLockouts() {
        var t = new LoginThrottle(clock, Duration.ofSeconds(1), Duration.ofSeconds(60), 100);
        for (String a : new String[] {"6.6.6.1", "6.6.6.2", "6.6.6.3"}) {
            t.failure("alice", a);
        }
        assertThat(t.retryAfter(null, "1.1.1.1")).isZero();
        assertThat(t.retryAfter("alice", "1.1.1.1")).isPositive();
        t.failure(null, "1.1.1.1");
        assertThat(t.retryAfter("bob", "1.1.1.1")).isPositive();
        assertThat(t.retryAfter("bob", "2.2.2.2")).isZero();
    }
}
