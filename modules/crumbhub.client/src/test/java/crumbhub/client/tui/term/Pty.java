package crumbhub.client.tui.term;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import crumbhub.testkit.Await;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;

/** A pseudo-terminal pair for tests: the test plays the user on the master side. */
@SuppressWarnings("restricted")
final class Pty {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle POSIX_OPENPT = bind("posix_openpt", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle GRANTPT = bind("grantpt", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle UNLOCKPT = bind("unlockpt", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle PTSNAME = bind("ptsname", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle IOCTL = LINKER.downcallHandle(LINKER.defaultLookup().find("ioctl").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle POLL = bind("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle READ = bind("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final int O_RDWR = 02;
    private static final int O_NOCTTY = 0400;
    private static final long TIOCSWINSZ = 0x5414;

    final int master;
    final int slave;
    final String slavePath;

    private static MethodHandle bind(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd);
    }

    Pty() throws Throwable {
        master = (int) POSIX_OPENPT.invokeExact(O_RDWR | O_NOCTTY);
        if (master < 0 || (int) GRANTPT.invokeExact(master) != 0 || (int) UNLOCKPT.invokeExact(master) != 0) {
            throw new IllegalStateException("cannot open a pseudo-terminal");
        }
        MemorySegment name = (MemorySegment) PTSNAME.invokeExact(master);
        slavePath = name.reinterpret(256).getString(0);
        try (Arena arena = Arena.ofConfined()) {
            slave = (int) OPEN.invokeExact(arena.allocateFrom(slavePath), O_RDWR | O_NOCTTY, 0);
        }
        if (slave < 0) {
            throw new IllegalStateException("cannot open " + slavePath);
        }
    }

    void resize(int columns, int rows) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ws = arena.allocate(Libc.WINSIZE);
            ws.set(JAVA_SHORT, 0, (short) rows);
            ws.set(JAVA_SHORT, 2, (short) columns);
            if ((int) IOCTL.invokeExact(master, TIOCSWINSZ, ws) != 0) {
                throw new IllegalStateException("TIOCSWINSZ failed");
            }
        }
    }

    /** Types {@code text} as the user would. */
    void type(String text) {
        PosixTerminal.writeTo(master, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads what the program wrote until {@code done} accepts it or the output ends; fails the test
     * (showing what was read) if neither happens within {@code timeout}.
     */
    String readUntil(Predicate<String> done, Duration timeout) {
        var got = new ByteArrayOutputStream();
        var ended = new boolean[1];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfd = arena.allocate(Libc.POLLFD);
            MemorySegment buf = arena.allocate(4096);
            Await.succeeds(() -> {
                if (!ended[0]) {
                    ended[0] = !readSome(pollfd, buf, got);
                }
                String text = got.toString(StandardCharsets.UTF_8);
                if (!ended[0] && !done.test(text)) {
                    throw new AssertionError("the terminal shows so far: " + text);
                }
                return text;
            }, timeout, "terminal output");
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    /** Waits up to 100 ms for output and reads what is there; false once the output has ended. */
    private boolean readSome(MemorySegment pollfd, MemorySegment buf, ByteArrayOutputStream got) {
        try {
            pollfd.set(JAVA_INT, 0, master);
            pollfd.set(JAVA_SHORT, 4, Libc.POLLIN);
            pollfd.set(JAVA_SHORT, 6, (short) 0);
            if ((int) POLL.invokeExact(pollfd, 1L, 100) <= 0) {
                return true;
            }
            long n = (long) READ.invokeExact(master, buf, 4096L);
            if (n <= 0) {
                return false;
            }
            got.write(buf.asSlice(0, n).toArray(JAVA_BYTE));
            return true;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("poll or read on the pseudo-terminal failed", t);
        }
    }

    void close() throws Throwable {
        int a = (int) CLOSE.invokeExact(slave);
        int b = (int) CLOSE.invokeExact(master);
        if (a != 0 || b != 0) {
            throw new IllegalStateException("close failed");
        }
    }
}
