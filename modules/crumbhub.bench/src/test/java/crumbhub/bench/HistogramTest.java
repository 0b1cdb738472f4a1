package crumbhub.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HistogramTest {

    @Test
    void smallValuesAreCountedExactly() {
        var h = new Histogram();
        for (int v = 0; v < 256; v++) {
            h.record(v);
        }
        assertThat(h.count()).isEqualTo(256);
        assertThat(h.percentile(50)).isEqualTo(127);
        assertThat(h.percentile(100)).isEqualTo(255);
        assertThat(h.min()).isZero();
        assertThat(h.max()).isEqualTo(255);
    }

    @Test
    void bucketIndexIsMonotonicAndCoversTheLongRange() {
        int last = -1;
        for (long v = 0; v < 1 << 20; v++) {
            int i = Histogram.indexOf(v);
            assertThat(i).isBetween(last, last + 1);
            assertThat(Histogram.highestInBucket(i)).isGreaterThanOrEqualTo(v);
            last = i;
        }
        assertThat(Histogram.indexOf(Long.MAX_VALUE)).isEqualTo(Histogram.BUCKETS - 1);
        assertThat(Histogram.highestInBucket(Histogram.BUCKETS - 1)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void percentilesAreWithinOnePercentOfTheExactOnes() {
        var rng = new SplittableRandom(42);
        long[] values = new long[100_000];
        var h = new Histogram();
        for (int i = 0; i < values.length; i++) {
            // latencies from 10 µs to ~1 s, log-uniform
            values[i] = (long) Math.exp(rng.nextDouble(Math.log(10_000), Math.log(1e9)));
            h.record(values[i]);
        }
        Arrays.sort(values);
        for (double p : new double[] {1, 50, 90, 99, 99.9}) {
            long exact = values[(int) Math.ceil(p / 100 * values.length) - 1];
            assertThat((double) h.percentile(p)).as("p%s", p).isCloseTo(exact, within(exact * 0.01));
        }
        assertThat(h.percentile(100)).isEqualTo(values[values.length - 1]);
        assertThat(h.max()).isEqualTo(values[values.length - 1]);
    }

    @Test
    void negativeValuesCountAsZero() {
        var h = new Histogram();
        h.record(-5);
        assertThat(h.max()).isZero();
        assertThat(h.percentile(99)).isZero();
    }

    @Test
    void addMergesCountsAndExtremes() {
        var a = new Histogram();
        var b = new Histogram();
        a.record(1_000);
        a.record(2_000);
        b.record(3_000_000);
        a.add(b);
        assertThat(a.count()).isEqualTo(3);
        assertThat(a.max()).isEqualTo(3_000_000);
        assertThat(a.min()).isEqualTo(1_000);
        assertThat(a.percentile(50)).isCloseTo(2_000, within(16L));
        assertThat(a.mean()).isCloseTo(1_001_000, within(1.0));
    }

    @Test
    void resetAndCopyAreIndependent() {
        var h = new Histogram();
        h.record(500);
        var copy = h.copy();
        h.reset();
        assertThat(h.count()).isZero();
        assertThat(h.percentile(50)).isZero();
        assertThat(copy.count()).isEqualTo(1);
        assertThat(copy.percentile(50)).isEqualTo(500);
    }

    @Test
    void percentileOutsideZeroToHundredIsRefused() {
        var h = new Histogram();
        assertThatThrownBy(() -> h.percentile(101)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.percentile(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
