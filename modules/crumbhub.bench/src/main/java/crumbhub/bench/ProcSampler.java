package crumbhub.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a local process's CPU time and resident set size from Linux {@code /proc}, so the bench
 * can charge server CPU to delivered messages ({@code --server-pid}). Blocking file reads of a
 * few hundred bytes: call from the orchestrating thread, never from an event loop.
 */
public final class ProcSampler {
    /**
     * Clock ticks per second of {@code utime}/{@code stime} in {@code /proc/PID/stat}: the kernel
     * reports them in USER_HZ, which is 100 on every Linux architecture the JDK runs on.
     */
    static final long USER_HZ = 100;

    /** One reading: CPU time of all the process's threads (user + system) and its RSS. */
    public record Sample(long cpuNanos, long rssKb) {
        /** CPU time spent between {@code earlier} and this sample. */
        public long cpuNanosSince(Sample earlier) {
            return cpuNanos - earlier.cpuNanos;
        }
    }

    private final Path stat;
    private final Path status;
    private final long pid;

    public ProcSampler(long pid) {
        this(Path.of("/proc"), pid);
    }

    /** Reads from another proc root (tests). */
    ProcSampler(Path procRoot, long pid) {
        if (pid <= 0) {
            throw new IllegalArgumentException("a process id is positive, got " + pid);
        }
        this.pid = pid;
        this.stat = procRoot.resolve(Long.toString(pid)).resolve("stat");
        this.status = procRoot.resolve(Long.toString(pid)).resolve("status");
    }

    public long pid() {
        return pid;
    }

    /**
     * Reads both files now.
     *
     * @throws BenchException if the process is gone or the files cannot be parsed
     */
    public Sample sample() throws BenchException {
        try {
            return new Sample(parseCpuNanos(Files.readString(stat, StandardCharsets.US_ASCII)),
                    parseRssKb(Files.readString(status, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new BenchException("cannot read /proc for process " + pid + " (is it running, on this machine?): "
                    + e.getMessage(), e);
        }
    }

    /** The process's open file descriptors now (entries of {@code /proc/PID/fd}; needs the same user or root). */
    public long openFiles() throws BenchException {
        try (var fds = Files.list(stat.resolveSibling("fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new BenchException("cannot list the open files of process " + pid + ": " + e.getMessage(), e);
        }
    }

    /** The process's threads now ({@code Threads} of proc(5) {@code status}). */
    public long threads() throws BenchException {
        try {
            return statusField(Files.readString(status, StandardCharsets.UTF_8), "Threads:");
        } catch (IOException e) {
            throw new BenchException("cannot read /proc for process " + pid + ": " + e.getMessage(), e);
        }
    }

    /** utime + stime (fields 14 and 15 of proc(5) {@code stat}) in nanoseconds. */
    static long parseCpuNanos(String stat) throws BenchException {
        // the command name (field 2) is in parentheses and may hold spaces or parentheses itself
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new BenchException("unexpected /proc stat format");
        }
        String[] f = stat.substring(close + 1).trim().split(" +");
        // f[0] is field 3 (state), so field n is f[n - 3]
        if (f.length < 13) {
            throw new BenchException("unexpected /proc stat format: " + f.length + " fields");
        }
        try {
            long ticks = Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
            return ticks * (1_000_000_000L / USER_HZ);
        } catch (NumberFormatException e) {
            throw new BenchException("unexpected /proc stat format: " + e.getMessage(), e);
        }
    }

    /** {@code VmRSS} of proc(5) {@code status}, in kB (KiB). */
    static long parseRssKb(String status) throws BenchException {
        return statusField(status, "VmRSS:");
    }

    /** The first number of the proc(5) {@code status} line starting with {@code name}. */
    static long statusField(String status, String name) throws BenchException {
        for (String line : status.split("\n")) {
            if (line.startsWith(name)) {
                String[] f = line.substring(name.length()).trim().split("\\s+");
                try {
                    return Long.parseLong(f[0]);
                } catch (NumberFormatException e) {
                    throw new BenchException("unexpected " + name + " line in /proc status: " + line, e);
                }
            }
        }
        throw new BenchException("no " + name + " line in /proc status (a kernel thread or a zombie?)");
    }
}
