package crumbhub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

    private static StepResult result(Double cpu, long rss) {
        return new StepResult("crumbhub", "fanout", 2, 100, 1, 10, 128, 200, 199.5, 19_800, 19_800, 19_790, 10, 0,
                1.25, 9.5, 12.125, cpu, rss, Map.of("stale", 3L));
    }

    @Test
    void jsonHasTheContractFieldsInOneLine() {
        String json = Report.toJson(result(null, -1));
        assertThat(json).startsWith("{\"target\":\"crumbhub\",\"scenario\":\"fanout\"").doesNotContain("\n")
                .contains("\"clients\":100", "\"senders\":10", "\"offered_per_s\":200", "\"delivered_per_s\":19800",
                        "\"p50_ms\":1.25", "\"p99_ms\":9.5", "\"max_ms\":12.125", "\"lost\":10", "\"stale\":3")
                .doesNotContain("server_cpu_us_per_delivery", "server_rss_kb");
    }

    @Test
    void jsonHasServerFieldsWithAPid() {
        assertThat(Report.toJson(result(12.3456, 40_960)))
                .contains("\"server_cpu_us_per_delivery\":12.346", "\"server_rss_kb\":40960");
    }

    @Test
    void jsonWritesNonFiniteNumbersAsNullAndEscapesStrings() {
        var r = new StepResult("irc", "a\"b\\c\n", 1, 1, 1, 1, 56, Double.NaN, 0, Double.POSITIVE_INFINITY, 0, 0, 0, 0,
                0, 0, 0, null, -1, Map.of());
        assertThat(Report.toJson(r)).contains("\"scenario\":\"a\\\"b\\\\c\\n\"", "\"offered_per_s\":null",
                "\"delivered_per_s\":null");
    }

    @Test
    void tablePrintsAHeaderOnceAndARowPerStep() {
        var out = new ByteArrayOutputStream();
        var report = new Report(new PrintStream(out, true, StandardCharsets.UTF_8), false);
        report.print(result(null, -1));
        report.print(result(5.0, 2048));
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).contains("offered/s", "delivered/s", "p50_ms", "p99_ms", "max_ms", "lost");
        assertThat(lines[1]).contains("crumbhub", "fanout", "19800", "1.25", "9.50", "12.13", " - ");
        assertThat(lines[2]).contains("5.0", "2.0");
    }

    @Test
    void aStepBreaksOnLossErrorsOrLatency() {
        assertThat(result(null, -1).broke(100)).isTrue();
        var clean = new StepResult("crumbhub", "fanout", 1, 2, 1, 1, 56, 1, 1, 1, 1, 1, 0, 0, 1, 5, 6, null, -1,
                Map.of());
        assertThat(clean.broke(100)).isFalse();
        assertThat(clean.broke(4)).isTrue();
    }
}
