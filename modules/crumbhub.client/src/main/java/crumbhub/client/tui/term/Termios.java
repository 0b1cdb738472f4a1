package crumbhub.client.tui.term;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct termios} as glibc lays it out on Linux x86_64 and aarch64 (60 bytes), the flag
 * bits raw mode changes, and {@code tcgetattr}/{@code tcsetattr}. Flag values are the octal
 * constants of {@code <bits/termios-*.h>}, identical on both architectures.
 */
final class Termios {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("c_iflag"),
            JAVA_INT.withName("c_oflag"),
            JAVA_INT.withName("c_cflag"),
            JAVA_INT.withName("c_lflag"),
            JAVA_BYTE.withName("c_line"),
            MemoryLayout.sequenceLayout(32, JAVA_BYTE).withName("c_cc"),
            MemoryLayout.paddingLayout(3),
            JAVA_INT.withName("c_ispeed"),
            JAVA_INT.withName("c_ospeed"));

    // c_iflag
    static final int IGNBRK = 0000001;
    static final int BRKINT = 0000002;
    static final int PARMRK = 0000010;
    static final int ISTRIP = 0000040;
    static final int INLCR = 0000100;
    static final int IGNCR = 0000200;
    static final int ICRNL = 0000400;
    static final int IXON = 0002000;
    // c_oflag
    static final int OPOST = 0000001;
    // c_cflag
    static final int CSIZE = 0000060;
    static final int CS8 = 0000060;
    static final int PARENB = 0000400;
    // c_lflag
    static final int ISIG = 0000001;
    static final int ICANON = 0000002;
    static final int ECHO = 0000010;
    static final int ECHONL = 0000100;
    static final int IEXTEN = 0100000;
    // c_cc indices
    static final int VTIME = 5;
    static final int VMIN = 6;
    // tcsetattr actions
    static final int TCSANOW = 0;
    static final int TCSAFLUSH = 2;

    private static final VarHandle IFLAG = flag("c_iflag");
    private static final VarHandle OFLAG = flag("c_oflag");
    private static final VarHandle CFLAG = flag("c_cflag");
    private static final VarHandle LFLAG = flag("c_lflag");
    private static final long CC_OFFSET = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("c_cc"));

    private Termios() {
    }

    private static VarHandle flag(String name) {
        return LAYOUT.varHandle(MemoryLayout.PathElement.groupElement(name)).withInvokeExactBehavior();
    }

    /** Reads the settings of terminal {@code fd} into a new segment of {@code arena}. */
    static MemorySegment get(int fd, Arena arena) {
        MemorySegment termios = arena.allocate(LAYOUT);
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = call.allocate(Libc.captureLayout());
            int rc = (int) Libc.TCGETATTR.invokeExact(state, fd, termios);
            if (rc != 0) {
                throw new TerminalException("cannot read the terminal settings (tcgetattr errno " + Libc.errno(state) + ")");
            }
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
        return termios;
    }

    /** Applies {@code termios} to terminal {@code fd}; {@code when} is TCSANOW or TCSAFLUSH. */
    static void set(int fd, int when, MemorySegment termios) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = call.allocate(Libc.captureLayout());
            int rc = (int) Libc.TCSETATTR.invokeExact(state, fd, when, termios);
            if (rc != 0) {
                throw new TerminalException("cannot change the terminal settings (tcsetattr errno " + Libc.errno(state) + ")");
            }
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * A raw-mode copy of {@code original}, as {@code cfmakeraw} makes it: no input translation or
     * flow control, no output processing, 8-bit characters, no echo, no line editing and no
     * signal keys (Ctrl-C and Ctrl-Z arrive as bytes); reads return after one byte.
     */
    static MemorySegment raw(MemorySegment original, Arena arena) {
        MemorySegment raw = arena.allocate(LAYOUT);
        raw.copyFrom(original);
        IFLAG.set(raw, 0L, iflag(raw) & ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON));
        OFLAG.set(raw, 0L, (int) OFLAG.get(raw, 0L) & ~OPOST);
        CFLAG.set(raw, 0L, ((int) CFLAG.get(raw, 0L) & ~(CSIZE | PARENB)) | CS8);
        LFLAG.set(raw, 0L, lflag(raw) & ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN));
        raw.set(JAVA_BYTE, CC_OFFSET + VMIN, (byte) 1);
        raw.set(JAVA_BYTE, CC_OFFSET + VTIME, (byte) 0);
        return raw;
    }

    static int iflag(MemorySegment termios) {
        return (int) IFLAG.get(termios, 0L);
    }

    static int lflag(MemorySegment termios) {
        return (int) LFLAG.get(termios, 0L);
    }

    static int oflag(MemorySegment termios) {
        return (int) OFLAG.get(termios, 0L);
    }
}
