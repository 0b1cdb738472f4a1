package crumbhub.bench;

import java.nio.ByteBuffer;

/**
 * Splits one IRC connection's input into lines (RFC 2812 §2.3: CR LF, a bare LF accepted).
 * Resumable: bytes arrive in a buffer shared by every connection of a loop, complete lines are
 * handed over in place, and only the tail of an unfinished line is copied aside until the next
 * read, so an idle connection keeps no buffer. A line longer than {@link #MAX_LINE} is dropped
 * up to its end and counted. Not thread-safe; the connection's loop thread only.
 */
final class IrcLineReader {
    /** Longest line accepted; RFC 2812 allows 512 bytes, IRCv3 message tags up to 8 KiB more. */
    static final int MAX_LINE = 8192;
    /** A kept tail buffer larger than this is released once empty. */
    private static final int KEEP = 512;

    /** Receives each line without its CR LF, {@code a[from..to)}; returns false to stop reading. */
    @FunctionalInterface
    interface Sink {
        boolean onLine(byte[] a, int from, int to);
    }

    private byte[] partial;
    private int partialLength;
    private boolean discarding;
    private long dropped;

    /**
     * Clears {@code buf} (a heap buffer of at least twice {@link #MAX_LINE}) and puts the tail
     * kept from the last read into it, ready for the next read into the rest.
     */
    void prepare(ByteBuffer buf) {
        buf.clear();
        if (partialLength > 0) {
            buf.put(partial, 0, partialLength);
            partialLength = 0;
        }
    }

    /**
     * Hands every complete line in {@code buf[0, position)} to {@code sink} and keeps the
     * unfinished rest for the next {@link #prepare}.
     */
    void consume(ByteBuffer buf, Sink sink) {
        byte[] a = buf.array();
        int end = buf.position();
        int start = 0;
        for (int i = 0; i < end; i++) {
            if (a[i] != '\n') {
                continue;
            }
            if (discarding) {
                discarding = false;
            } else {
                int lineEnd = i > start && a[i - 1] == '\r' ? i - 1 : i;
                if (!sink.onLine(a, start, lineEnd)) {
                    return;
                }
            }
            start = i + 1;
        }
        int rest = end - start;
        if (discarding) {
            return;
        }
        if (rest > MAX_LINE) {
            discarding = true;
            dropped++;
        } else if (rest > 0) {
            if (partial == null || partial.length < rest) {
                partial = new byte[Math.max(KEEP, Integer.highestOneBit(rest) << 1)];
            }
            System.arraycopy(a, start, partial, 0, rest);
            partialLength = rest;
        } else if (partial != null && partial.length > KEEP) {
            partial = null;
        }
    }

    /** Lines dropped for being too long, so far. */
    long dropped() {
        return dropped;
    }

    /** Forgets any kept bytes. */
    void release() {
        partial = null;
        partialLength = 0;
    }

    /** Whether {@code a[from..to)} is exactly the ASCII {@code word}. */
    static boolean is(byte[] a, int from, int to, String word) {
        if (to - from != word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (a[from + i] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The first index of ASCII {@code s} within {@code a[from..to)}, or -1. */
    static int indexOf(byte[] a, int from, int to, String s) {
        outer:
        for (int i = from; i <= to - s.length(); i++) {
            for (int j = 0; j < s.length(); j++) {
                if (a[i + j] != s.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
