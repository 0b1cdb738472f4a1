package crumbhub.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    @Test
    void familiesHaveHelpAndTypeThenSamples() {
        String text = new PrometheusText()
                .info("x_build_info", "Version.", Map.of("version", "1.0 \"beta\""))
                .gauge("x_size_bytes", "Size.", 1536)
                .counter("x_events_total", "Events.", 7)
                .histogram("x_wait_seconds", "Waits.", List.of(new PrometheusText.Bucket(0.00005, 1),
                        new PrometheusText.Bucket(0.25, 3), new PrometheusText.Bucket(Double.POSITIVE_INFINITY, 4)), 1.5, 4)
                .toString();
        assertThat(text).isEqualTo("""
                # HELP x_build_info Version.
                # TYPE x_build_info gauge
                x_build_info{version="1.0 \\"beta\\""} 1
                # HELP x_size_bytes Size.
                # TYPE x_size_bytes gauge
                x_size_bytes 1536
                # HELP x_events_total Events.
                # TYPE x_events_total counter
                x_events_total 7
                # HELP x_wait_seconds Waits.
                # TYPE x_wait_seconds histogram
                x_wait_seconds_bucket{le="0.00005"} 1
                x_wait_seconds_bucket{le="0.25"} 3
                x_wait_seconds_bucket{le="+Inf"} 4
                x_wait_seconds_sum 1.5
                x_wait_seconds_count 4
                """);
    }

    @Test
    void badNamesAndCountersWithoutTotalAreRefused() {
        assertThatThrownBy(() -> new PrometheusText().counter("x_events", "h", 1)).hasMessageContaining("_total");
        assertThatThrownBy(() -> new PrometheusText().gauge("x-y", "h", 1)).hasMessageContaining("not a metric name");
    }
}
