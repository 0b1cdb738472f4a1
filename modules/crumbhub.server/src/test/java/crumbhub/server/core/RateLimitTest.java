package crumbhub.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.server.config.Rate;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitTest {
    private static final long MS = 1_000_000L;

    @Test
    void aBucketAllowsItsBurstThenOneTokenPerInterval() {
        var b = new TokenBucket(Rate.of(5, Duration.ofSeconds(1)));
        long now = 7_000 * MS;
        for (int i = 0; i < 5; i++) {
            assertThat(b.tryTake(now)).isTrue();
        }
        assertThat(b.tryTake(now)).isFalse();
        assertThat(b.nanosUntilToken(now)).isEqualTo(200 * MS);
        assertThat(b.tryTake(now + 199 * MS)).isFalse();
        assertThat(b.tryTake(now + 200 * MS)).isTrue();
        assertThat(b.tryTake(now + 200 * MS)).isFalse();
        assertThat(b.isFull(now + 1200 * MS)).isTrue();
        for (int i = 0; i < 5; i++) {
            assertThat(b.tryTake(now + 5_000 * MS)).as("a quiet bucket refills to its burst, no more").isTrue();
        }
        assertThat(b.tryTake(now + 5_000 * MS)).isFalse();
    }

    @Test
    void aClientAtOneAndAHalfTimesTheRateIsSlowedDownButNotCutOff() {
        var l = new RequestLimiter(Rate.of(100, Duration.ofSeconds(1)));
        int refused = 0;
        for (long t = 0; t < 60_000 * MS; t += MS * 1000 / 150) {
            switch (l.check(t)) {
                case ADMIT -> { }
                case REFUSE -> refused++;
                case CLOSE -> throw new AssertionError("closed at " + t / MS + " ms");
            }
        }
        assertThat(refused).isPositive();
    }

    @Test
    void aClientAtThreeTimesTheRateIsCutOffWithinSeconds() {
        var l = new RequestLimiter(Rate.of(100, Duration.ofSeconds(1)));
        long t = 0;
        RequestLimiter.Verdict v;
        do {
            t += MS * 1000 / 300;
            v = l.check(t);
        } while (v != RequestLimiter.Verdict.CLOSE && t < 60_000 * MS);
        assertThat(v).isEqualTo(RequestLimiter.Verdict.CLOSE);
        assertThat(t).isLessThan(5_000 * MS);
    }

    @Test
    void registrationsAreLimitedPerAddressAndInTotal() {
        var r = new RegistrationRates(Rate.of(2, Duration.ofHours(1)), Rate.of(3, Duration.ofHours(1)), 10);
        assertThat(admit(r, "10.0.0.1", 0)).isNull();
        assertThat(admit(r, "10.0.0.1", 0)).isNull();
        var third = admit(r, "10.0.0.1", 0);
        assertThat(third.global()).isFalse();
        assertThat(third.retryAfter()).isEqualTo(Duration.ofMinutes(30));
        assertThat(admit(r, "10.0.0.2", 0)).isNull();
        var global = admit(r, "10.0.0.3", 0);
        assertThat(global.global()).isTrue();
        for (int i = 0; i < 100; i++) {
            admit(r, "172.16.0." + i, 0);
        }
        r.prune(Duration.ofHours(2).toNanos());
        assertThat(admit(r, "10.0.0.1", Duration.ofHours(2).toNanos())).isNull();
    }

    /** Both buckets in the order the server takes them for a registration that passed every check. */
    private static RegistrationRates.Refusal admit(RegistrationRates r, String address, long now) {
        var refusal = r.admitAddress(address, now);
        return refusal != null ? refusal : r.admitGlobal(now);
    }
}
