package crumbhub.client.tui.term;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import crumbhub.wire.log.Log;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A real terminal on POSIX file descriptors, switched to raw mode and the alternate screen through
 * the foreign function API ({@code tcgetattr}, {@code tcsetattr}, {@code ioctl(TIOCGWINSZ)},
 * {@code poll}, {@code read}, {@code write} from the C library).
 *
 * <p>The original settings are restored, and the normal screen and cursor brought back, by
 * {@link #close} — which the UI calls on quit, on Ctrl-C (a key in raw mode) and when its thread
 * dies of an exception — and by a shutdown hook when the JVM exits for any other reason (SIGTERM,
 * SIGHUP, {@code System.exit}, an uncaught exception on another thread). Restoring happens once.
 *
 * <p>Linux x86_64 and aarch64 with glibc only ({@link #supported()}); elsewhere the client uses
 * plain line mode.
 */
public final class PosixTerminal implements Terminal {
    private static final String ENTER = "\u001B[?1049h\u001B[?2004h\u001B[0m\u001B[H\u001B[2J";
    private static final String LEAVE = "\u001B[?2026l\u001B[0m\u001B[?2004l\u001B[?25h\u001B[?1049l";
    /** How long the restore waits for a frame being written before it writes over it anyway. */
    private static final Duration RESTORE_WAIT = Duration.ofSeconds(2);

    private static final Log LOG = Log.get(PosixTerminal.class.getName());

    private final int in;
    private final int out;
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment original;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Held by each frame's write and by the restore, so that they never interleave. */
    private final ReentrantLock output = new ReentrantLock();
    private final Thread restoreOnExit;
    private TerminalSize lastSize = TerminalSize.FALLBACK;

    private PosixTerminal(int in, int out) {
        this.in = in;
        this.out = out;
        this.original = Termios.get(in, arena);
        this.restoreOnExit = Thread.ofPlatform().name("crumbhub-terminal-restore").unstarted(this::restoreAtExit);
    }

    /** Whether raw mode is implemented for this operating system and architecture. */
    public static boolean supported() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        return os.equals("Linux") && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"));
    }

    /**
     * Whether {@code fd} is a terminal ({@code isatty}); false where raw mode is unsupported or
     * the JVM denies this module native access (then the client falls back to line mode).
     */
    public static boolean isTerminal(int fd) {
        if (!supported()) {
            return false;
        }
        try {
            return Libc.isatty(fd);
        } catch (IllegalCallerException nativeAccessDenied) {
            LOG.debug("native_access_denied", "reason", nativeAccessDenied.getMessage());
            return false;
        }
    }

    /** Standard input and output: the usual way to open the terminal. */
    public static PosixTerminal open() {
        return open(0, 1);
    }

    /**
     * Puts the terminal on {@code in} into raw mode, switches {@code out} to the alternate screen
     * with bracketed paste on, and arranges for both to be undone at exit.
     */
    public static PosixTerminal open(int in, int out) {
        if (!supported()) {
            throw new TerminalException("the full-screen interface needs Linux on x86_64 or aarch64");
        }
        if (!Libc.isatty(in) || !Libc.isatty(out)) {
            throw new TerminalException("standard input and output must be a terminal for the full-screen interface");
        }
        var terminal = new PosixTerminal(in, out);
        Termios.set(in, Termios.TCSAFLUSH, Termios.raw(terminal.original, terminal.arena));
        Runtime.getRuntime().addShutdownHook(terminal.restoreOnExit);
        terminal.writeString(ENTER);
        return terminal;
    }

    @Override
    public TerminalSize size() {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment ws = call.allocate(Libc.WINSIZE);
            MemorySegment state = call.allocate(Libc.captureLayout());
            int rc = (int) Libc.IOCTL.invokeExact(state, out, Libc.TIOCGWINSZ, ws);
            if (rc == 0) {
                int rows = Short.toUnsignedInt(ws.get(JAVA_SHORT, 0));
                int cols = Short.toUnsignedInt(ws.get(JAVA_SHORT, 2));
                if (rows > 0 && cols > 0) {
                    lastSize = new TerminalSize(cols, rows);
                }
            }
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
        return lastSize;
    }

    @Override
    public int read(byte[] buffer, Duration timeout) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = call.allocate(Libc.captureLayout());
            MemorySegment pollfd = call.allocate(Libc.POLLFD);
            pollfd.set(JAVA_INT, 0, in);
            pollfd.set(JAVA_SHORT, 4, Libc.POLLIN);
            int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(0, timeout.toMillis()));
            int ready = (int) Libc.POLL.invokeExact(state, pollfd, 1L, millis);
            if (ready < 0) {
                int errno = Libc.errno(state);
                if (errno == Libc.EINTR || errno == Libc.EAGAIN) {
                    return 0;
                }
                throw new TerminalException("cannot wait for terminal input (poll errno " + errno + ")");
            }
            if (ready == 0) {
                return 0;
            }
            short revents = pollfd.get(JAVA_SHORT, 6);
            if ((revents & Libc.POLLIN) == 0) {
                return (revents & (Libc.POLLHUP | Libc.POLLERR | Libc.POLLNVAL)) != 0 ? -1 : 0;
            }
            MemorySegment data = call.allocate(buffer.length);
            long n = (long) Libc.READ.invokeExact(state, in, data, (long) buffer.length);
            if (n < 0) {
                int errno = Libc.errno(state);
                if (errno == Libc.EINTR || errno == Libc.EAGAIN) {
                    return 0;
                }
                throw new TerminalException("cannot read the terminal (read errno " + errno + ")");
            }
            if (n == 0) {
                return -1;
            }
            MemorySegment.copy(data, JAVA_BYTE, 0, buffer, 0, (int) n);
            return (int) n;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * Writes one frame. After {@link #close} (or the exit hook) the bytes are dropped: a frame
     * rendered while the JVM exits must not land on the restored screen, and never between the
     * bytes of the sequence that leaves the alternate screen.
     */
    @Override
    public void write(byte[] bytes) {
        output.lock();
        try {
            if (!closed.get()) {
                writeTo(out, bytes);
            }
        } finally {
            output.unlock();
        }
    }

    private void writeString(String s) {
        writeTo(out, s.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes all of {@code bytes}, retrying after interruptions and partial writes. */
    static void writeTo(int fd, byte[] bytes) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = call.allocate(Libc.captureLayout());
            MemorySegment data = call.allocate(Math.max(1, bytes.length));
            MemorySegment.copy(bytes, 0, data, JAVA_BYTE, 0, bytes.length);
            long done = 0;
            int stalls = 0;
            while (done < bytes.length) {
                long n = (long) Libc.WRITE.invokeExact(state, fd, data.asSlice(done), bytes.length - done);
                if (n > 0) {
                    done += n;
                    stalls = 0;
                    continue;
                }
                int errno = Libc.errno(state);
                // EAGAIN only on a non-blocking descriptor; give up after ~10 s of a stuck terminal
                if ((errno == Libc.EINTR || errno == Libc.EAGAIN) && ++stalls < 1000) {
                    if (errno == Libc.EAGAIN) {
                        Thread.sleep(10);
                    }
                    continue;
                }
                throw new TerminalException("cannot write to the terminal (write errno " + errno + ")");
            }
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    @Override
    public void close() {
        restore();
        if (Thread.currentThread() != restoreOnExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(restoreOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting; the hook will run and find the terminal restored
                assert closed.get();
            }
        }
    }

    /** The shutdown hook: a terminal that hung up cannot be restored, and that is not worth a stack trace. */
    private void restoreAtExit() {
        try {
            restore();
        } catch (TerminalException e) {
            LOG.debug("terminal_restore_failed", "reason", e.getMessage());
        }
    }

    /** Leaves the alternate screen and puts the original settings back; only the first call acts. */
    private void restore() {
        boolean locked = false;
        try {
            // a writer stuck on a stopped terminal (Ctrl-S) must not keep the exit hook waiting
            locked = output.tryLock(RESTORE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            try {
                writeString(LEAVE);
            } finally {
                Termios.set(in, Termios.TCSANOW, original);
            }
        } finally {
            if (locked) {
                output.unlock();
            }
        }
    }

    /** The settings saved when the terminal was opened, for tests. */
    MemorySegment originalSettings() {
        return original;
    }
}
