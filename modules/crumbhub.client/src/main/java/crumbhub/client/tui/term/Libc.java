package crumbhub.client.tui.term;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few C library calls the terminal needs, bound with the foreign function API from the
 * process's default lookup (glibc on Linux). Functions that can fail capture {@code errno}.
 * Loading this class requires native access ({@code --enable-native-access=crumbhub.client}).
 */
final class Libc {
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    /** {@code ioctl} request for the window size; the same number on x86_64 and aarch64 Linux. */
    static final long TIOCGWINSZ = 0x5413;
    static final short POLLIN = 0x1;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;

    /** {@code struct winsize}: rows, columns, then pixel sizes we do not use. */
    static final StructLayout WINSIZE = MemoryLayout.structLayout(
            JAVA_SHORT.withName("ws_row"), JAVA_SHORT.withName("ws_col"),
            JAVA_SHORT.withName("ws_xpixel"), JAVA_SHORT.withName("ws_ypixel"));

    /** {@code struct pollfd}. */
    static final StructLayout POLLFD = MemoryLayout.structLayout(
            JAVA_INT.withName("fd"), JAVA_SHORT.withName("events"), JAVA_SHORT.withName("revents"));

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno")).withInvokeExactBehavior();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    static final MethodHandle ISATTY = bind("isatty", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    static final MethodHandle TCGETATTR = bind("tcgetattr", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS),
            CAPTURE_ERRNO);
    static final MethodHandle TCSETATTR = bind("tcsetattr",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), CAPTURE_ERRNO);
    /** {@code int ioctl(int fd, unsigned long request, ...)} called with one pointer argument. */
    static final MethodHandle IOCTL = bind("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
            Linker.Option.firstVariadicArg(2), CAPTURE_ERRNO);
    static final MethodHandle POLL = bind("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT),
            CAPTURE_ERRNO);
    static final MethodHandle READ = bind("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG),
            CAPTURE_ERRNO);
    static final MethodHandle WRITE = bind("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG),
            CAPTURE_ERRNO);

    private Libc() {
    }

    /** Binding C functions is what this class is for; the launcher grants native access. */
    @SuppressWarnings("restricted")
    private static MethodHandle bind(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new TerminalException("the C library has no " + name + "()"));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /** A segment to pass as the captured-state argument of the functions bound with errno. */
    static StructLayout captureLayout() {
        return CAPTURE;
    }

    static int errno(MemorySegment captured) {
        return (int) ERRNO.get(captured, 0L);
    }

    static boolean isatty(int fd) {
        try {
            return (int) ISATTY.invokeExact(fd) == 1;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Errors from a downcall are the JVM's own; unchecked ones pass through unchanged. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new TerminalException("interrupted while writing to the terminal");
        }
        return new TerminalException("native call failed: " + t);
    }
}
