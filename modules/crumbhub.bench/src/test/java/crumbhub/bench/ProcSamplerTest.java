package crumbhub.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcSamplerTest {

    @Test
    void parsesCpuTicksAfterACommandNameWithSpacesAndParentheses() throws Exception {
        String stat = "1234 (java (x) y) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 30 0";
        assertThat(ProcSampler.parseCpuNanos(stat)).isEqualTo(300 * 10_000_000L);
    }

    @Test
    void parsesRssFromStatus() throws Exception {
        assertThat(ProcSampler.parseRssKb("Name:\tjava\nVmPeak:\t 999 kB\nVmRSS:\t   51200 kB\nThreads: 3\n"))
                .isEqualTo(51_200);
        assertThatThrownBy(() -> ProcSampler.parseRssKb("Name:\tkthreadd\n")).isInstanceOf(BenchException.class);
    }

    @Test
    void readsFromAProcTree(@TempDir Path proc) throws Exception {
        Path dir = Files.createDirectories(proc.resolve("77"));
        Files.writeString(dir.resolve("stat"), "77 (s) R 1 1 1 0 -1 0 0 0 0 0 100 100 0 0 20 0 1 0\n");
        Files.writeString(dir.resolve("status"), "VmRSS:\t1024 kB\n");
        var s = new ProcSampler(proc, 77).sample();
        assertThat(s.cpuNanos()).isEqualTo(2_000_000_000L);
        assertThat(s.rssKb()).isEqualTo(1024);
        assertThatThrownBy(() -> new ProcSampler(proc, 78).sample()).isInstanceOf(BenchException.class)
                .hasMessageContaining("78");
    }

    @Test
    void ownProcessCpuAgreesWithTheJdk() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "needs Linux /proc");
        long pid = ProcessHandle.current().pid();
        // burn a little CPU so both readings are well above one tick
        long x = 0;
        for (int i = 0; i < 50_000_000; i++) {
            x += i * 31L ^ x;
        }
        var sample = new ProcSampler(pid).sample();
        long jdk = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
        assertThat(x).isNotEqualTo(1);
        assertThat(sample.cpuNanos()).isBetween(jdk - 200_000_000L, jdk + 200_000_000L);
        assertThat(sample.rssKb()).isGreaterThan(1024);
    }
}
