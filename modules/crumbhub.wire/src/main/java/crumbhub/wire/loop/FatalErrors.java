package crumbhub.wire.loop;

import crumbhub.wire.log.Log;
import java.util.Objects;

/**
 * The one place a thread of ours hands an {@link Error} it must not survive. A loop or executor
 * survives an {@link Exception} from a task (one bad client's frame, one failed request) and
 * carries on; an {@code Error} (out of memory, a stack overflow, a failed assertion, a class that
 * does not link) can strike in the middle of a change, after live state moved and before the
 * journal recorded it, so carrying on could serve or persist state that was never made durable.
 *
 * <p>The thread that caught the error calls {@link #report}: it logs one {@code event=fatal} line
 * naming the thread and the error, runs the installed {@link Handler}, and then stops its own
 * work (the caller's contract). The default handler does nothing more, which suits library use
 * and tests: the failing loop or executor stops, the process goes on. A server installs a
 * handler that ends the process ({@link #halt(int)}), so its last log line is the
 * {@code event=fatal} line and its exit status is not zero.
 */
public final class FatalErrors {
    private static final Log LOG = Log.get(FatalErrors.class.getName());

    /** What happens after the {@code event=fatal} line; called on the failing thread. */
    @FunctionalInterface
    public interface Handler {
        void fatal(Thread thread, Error error);
    }

    /** Library default: only the failing thread's work stops. */
    public static final Handler STOP_THREAD = (thread, error) -> { };

    private static volatile Handler installed = STOP_THREAD;

    /** Reads the handler {@link #install}ed at the time of the error, so a loop built before installing follows it. */
    public static final Handler INSTALLED = (thread, error) -> installed.fatal(thread, error);

    private FatalErrors() {
    }

    /** Makes {@code handler} the process-wide handler; a server calls this once, before it starts. */
    public static void install(Handler handler) {
        installed = Objects.requireNonNull(handler);
    }

    /**
     * A handler that ends the process with {@code status} at once: {@link Runtime#halt}, not
     * {@code exit}, as shutdown hooks would try to finish work on the state the error left behind.
     */
    public static Handler halt(int status) {
        return (thread, error) -> {
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(status);
        };
    }

    /**
     * {@code task}, reporting an {@link Error} it throws to the {@link #INSTALLED} handler before
     * rethrowing it: for tasks given to an executor that would keep the error in a {@code Future}
     * nobody reads (a {@code ScheduledExecutorService}'s, say), where it would vanish and the
     * process carry on.
     */
    public static Runnable reporting(Runnable task) {
        Objects.requireNonNull(task);
        return () -> {
            try {
                task.run();
            } catch (Error e) {
                report(INSTALLED, e);
                throw e;
            }
        };
    }

    /**
     * Logs {@code event=fatal} for {@code error} caught on the current thread and runs {@code handler}.
     * Callers stop their loop afterwards; a handler that throws does not change that.
     */
    public static void report(Handler handler, Error error) {
        Thread thread = Thread.currentThread();
        try {
            LOG.error(error, "fatal", "thread", thread.getName(), "error_type", error.getClass().getName(),
                    "action", "stop");
        } finally {
            handler.fatal(thread, error);
        }
    }
}
