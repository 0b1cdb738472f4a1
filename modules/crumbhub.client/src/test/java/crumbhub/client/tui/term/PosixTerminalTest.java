package crumbhub.client.tui.term;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import crumbhub.testkit.Await;
import java.io.File;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PosixTerminalTest {
    private Pty pty;

    @BeforeEach
    void openPty() throws Throwable {
        assumeTrue(PosixTerminal.supported(), "raw mode is implemented for Linux only");
        pty = new Pty();
    }

    @AfterEach
    void closePty() throws Throwable {
        if (pty != null) {
            pty.close();
        }
    }

    private static byte[] settings(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            return Termios.get(fd, arena).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    @Test
    void termiosLayoutIsGlibcsSixtyBytes() {
        assertThat(Termios.LAYOUT.byteSize()).isEqualTo(60);
    }

    @Test
    void entersRawModeAndTheAlternateScreenAndRestoresBothOnClose() throws Throwable {
        byte[] before = settings(pty.slave);
        var terminal = PosixTerminal.open(pty.slave, pty.slave);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment raw = Termios.get(pty.slave, arena);
            assertThat(Termios.lflag(raw) & (Termios.ICANON | Termios.ECHO | Termios.ISIG | Termios.IEXTEN)).isZero();
            assertThat(Termios.iflag(raw) & (Termios.ICRNL | Termios.IXON)).isZero();
            assertThat(Termios.oflag(raw) & Termios.OPOST).isZero();
        }
        assertThat(pty.readUntil(s -> s.contains("\u001B[2J"), Duration.ofSeconds(5)))
                .contains("\u001B[?1049h").contains("\u001B[?2004h");
        terminal.close();
        terminal.close();
        assertThat(settings(pty.slave)).isEqualTo(before);
        assertThat(pty.readUntil(s -> s.contains("\u001B[?1049l"), Duration.ofSeconds(5)))
                .contains("\u001B[?25h").contains("\u001B[?2004l").contains("\u001B[?1049l");
    }

    @Test
    void sizeComesFromTheKernelAndFollowsResizes() throws Throwable {
        pty.resize(100, 30);
        try (var terminal = PosixTerminal.open(pty.slave, pty.slave)) {
            assertThat(terminal.size()).isEqualTo(new TerminalSize(100, 30));
            pty.resize(52, 11);
            assertThat(terminal.size()).isEqualTo(new TerminalSize(52, 11));
        }
    }

    @Test
    void readsTypedBytesUnprocessedAndTimesOutWhenIdle() throws Throwable {
        try (var terminal = PosixTerminal.open(pty.slave, pty.slave)) {
            var buffer = new byte[64];
            long start = System.nanoTime();
            assertThat(terminal.read(buffer, Duration.ofMillis(50))).isZero();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(40).toNanos());
            pty.type("a\r\u0003é");
            var got = new StringBuilder();
            Await.until(() -> {
                int n = terminal.read(buffer, Duration.ofMillis(100));
                got.append(new String(buffer, 0, Math.max(0, n), StandardCharsets.UTF_8));
                return got.length() >= 4;
            }, Duration.ofSeconds(5), "the four typed characters");
            assertThat(got.toString()).as("Ctrl-C is a byte, CR is not turned into LF").isEqualTo("a\r\u0003é");
        }
    }

    @Test
    void writesReachTheTerminal() throws Throwable {
        try (var terminal = PosixTerminal.open(pty.slave, pty.slave)) {
            terminal.write("hello 日本".getBytes(StandardCharsets.UTF_8));
            assertThat(pty.readUntil(s -> s.contains("日本"), Duration.ofSeconds(5))).contains("hello 日本");
        }
    }

    @Test
    void aFrameWrittenAfterTheRestoreIsDropped() throws Throwable {
        var terminal = PosixTerminal.open(pty.slave, pty.slave);
        terminal.close();
        terminal.write("late-frame".getBytes(StandardCharsets.UTF_8));
        PosixTerminal.writeTo(pty.slave, "END".getBytes(StandardCharsets.UTF_8));
        String seen = pty.readUntil(s -> s.contains("END"), Duration.ofSeconds(5));
        assertThat(seen).contains("\u001B[?1049l").doesNotContain("late-frame");
    }

    @Test
    void refusesSomethingThatIsNotATerminal() {
        assertThat(PosixTerminal.isTerminal(pty.slave)).isTrue();
        assertThat(PosixTerminal.isTerminal(99)).isFalse();
        assertThatThrownBy(() -> PosixTerminal.open(99, 99)).isInstanceOf(TerminalException.class)
                .hasMessageContaining("must be a terminal");
    }

    @Test
    void sigtermRestoresTheTerminal() throws Throwable {
        byte[] before = settings(pty.slave);
        Process child = startChild("wait");
        try {
            assertThat(pty.readUntil(s -> s.contains("READY"), Duration.ofSeconds(20))).contains("READY");
            assertThat(settings(pty.slave)).isNotEqualTo(before);
            child.destroy();
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(pty.readUntil(s -> s.contains("\u001B[?1049l"), Duration.ofSeconds(5))).contains("\u001B[?1049l");
            assertThat(settings(pty.slave)).isEqualTo(before);
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void anUncaughtExceptionRestoresTheTerminal() throws Throwable {
        byte[] before = settings(pty.slave);
        Process child = startChild("throw");
        try {
            assertThat(pty.readUntil(s -> s.contains("READY"), Duration.ofSeconds(20))).contains("READY");
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isNotZero();
            assertThat(settings(pty.slave)).isEqualTo(before);
        } finally {
            child.destroyForcibly();
        }
    }

    private Process startChild(String mode) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), RawModeChild.class.getName(), mode);
        pb.redirectInput(new File(pty.slavePath));
        pb.redirectOutput(new File(pty.slavePath));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        return pb.start();
    }
}
