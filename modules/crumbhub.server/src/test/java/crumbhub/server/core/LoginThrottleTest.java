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
    void delayDoublesPerFailureUpToTheCap() {
        var t = new LoginThrottle(clock, Duration.ofSeconds(1), Duration.ofSeconds(8), 100);
        assertThat(t.failure("alice", "1.2.3.4")).isEqualTo(Duration.ofSeconds(1));
        assertThat(t.failure("alice", "5.6.7.8")).isEqualTo(Duration.ofSeconds(2));
        assertThat(t.failure("alice", "9.9.9.9")).isEqualTo(Duration.ofSeconds(4));
        assertThat(t.failure("alice", "9.9.9.8")).isEqualTo(Duration.ofSeconds(8));
        assertThat(t.failure("alice", "9.9.9.7")).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void blockedUntilTheDelayPassesPerAccountAndPerAddress() {
        var t = new LoginThrottle(clock, Duration.ofSeconds(1), Duration.ofSeconds(60), 100);
        t.failure("alice", "1.2.3.4");
        assertThat(t.retryAfter("alice", "4.4.4.4")).isEqualTo(Duration.ofSeconds(1));
        assertThat(t.retryAfter("bob", "1.2.3.4")).isEqualTo(Duration.ofSeconds(1));
        assertThat(t.retryAfter("bob", "4.4.4.4")).isZero();
        now = now.plusMillis(1000);
        assertThat(t.retryAfter("alice", "1.2.3.4")).isZero();
    }

    @Test
    void successClearsTheAccountButNotTheAddress() {
        var t = new LoginThrottle(clock, Duration.ofSeconds(1), Duration.ofSeconds(60), 100);
        t.failure("alice", "1.2.3.4");
        t.failure("alice", "1.2.3.4");
        t.success("alice");
        assertThat(t.failure("alice", "7.7.7.7")).isEqualTo(Duration.ofSeconds(1));
        assertThat(t.failure("carol", "1.2.3.4")).isEqualTo(Duration.ofSeconds(4));
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
        t.failure("alice", "6.6.6.6");
        assertThat(t.retryAfter(null, "1.1.1.1")).isZero();
        assertThat(t.retryAfter("alice", "1.1.1.1")).isPositive();
        t.failure(null, "1.1.1.1");
        assertThat(t.retryAfter("bob", "1.1.1.1")).isPositive();
        assertThat(t.retryAfter("bob", "2.2.2.2")).isZero();
    }
}
