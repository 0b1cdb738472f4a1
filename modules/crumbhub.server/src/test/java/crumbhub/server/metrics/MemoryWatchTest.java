package crumbhub.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Memory pressure is the heap live after collection against the maximum, not the heap in use. */
class MemoryWatchTest {
    @Test
    void aboveTheThresholdAfterCollectionTheServerIsDegradedAndSaysWhy() {
        var live = new AtomicLong(100L << 20);
        var watch = new MemoryWatch(live::get, 512L << 20, MemoryWatch.PRESSURE);
        assertThat(watch.underPressure()).isFalse();
        assertThat(watch.problem()).isNull();
        live.set(470L << 20);
        assertThat(watch.underPressure()).isTrue();
        assertThat(watch.problem()).isEqualTo("degraded: memory pressure: 470 MiB of the 512 MiB heap still in use "
                + "after garbage collection (92%)");
    }

    @Test
    void theJvmsOwnPoolsAreReadAfterACollection() {
        var watch = MemoryWatch.jvm();
        assertThat(watch.max()).isEqualTo(Runtime.getRuntime().maxMemory());
        System.gc();
        assertThat(watch.usedAfterGc()).isPositive().isLessThan(watch.max());
    }
}
