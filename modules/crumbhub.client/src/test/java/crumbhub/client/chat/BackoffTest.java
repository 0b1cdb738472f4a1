package crumbhub.client.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), new Random(7));

    @Test
    void delaysDoubleFromOneSecondWithJitterAndStopGrowingAtThirtySeconds() {
        for (int failures = 1; failures <= 40; failures++) {
            long base = Math.min(30_000, 1000L << Math.min(failures - 1, 20));
            for (int k = 0; k < 200; k++) {
                long ms = backoff.delay(failures).toMillis();
                assertThat(ms).as("failures=%d", failures).isBetween(Math.max(1000, base / 2), base);
            }
        }
        assertThat(backoff.delay(1)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void jitterSpreadsClientsOut() {
        var seen = new HashSet<Long>();
        for (int k = 0; k < 100; k++) {
            seen.add(backoff.delay(6).toMillis());
        }
        assertThat(seen).hasSizeGreaterThan(50);
    }

    @Test
    void aHugeFailureCountDoesNotOverflow() {
        assertThat(backoff.delay(Integer.MAX_VALUE).toMillis()).isBetween(15_000L, 30_000L);
        assertThatThrownBy(() -> backoff.delay(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
