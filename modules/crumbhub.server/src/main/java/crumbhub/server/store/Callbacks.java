package crumbhub.server.store;

import java.lang.System.Logger.Level;
import java.util.function.Consumer;

/** Runs a caller's completion callback so that a throwing callback cannot stop a store thread. */
final class Callbacks {

    private Callbacks() {
    }

    /** Calls {@code onDone} with {@code failure} (null for success); a RuntimeException from it is logged. */
    static void complete(Consumer<StoreException> onDone, StoreException failure) {
        try {
            onDone.accept(failure);
        } catch (RuntimeException e) {
            StoreLog.log(Level.ERROR, e, "store_callback_failed", "thread", Thread.currentThread().getName());
        }
    }
}
