package crumbhub.server.store;

import crumbhub.wire.log.Log;
import java.util.function.Consumer;

/** Runs a caller's completion callback so that a throwing callback cannot stop a store thread. */
final class Callbacks {
    private static final Log LOG = Log.get("crumbhub.server.store");

    private Callbacks() {
    }

    /**
     * Calls {@code onDone} with {@code failure} (null for success). A {@link RuntimeException} it
     * throws is logged; an {@link Error} propagates and stops the store thread, which a server
     * turns into the end of the process (see {@code crumbhub.wire.loop.FatalErrors}).
     */
    static void complete(Consumer<StoreException> onDone, StoreException failure) {
        try {
            onDone.accept(failure);
        } catch (RuntimeException e) {
            LOG.error(e, "store_callback_failed", "thread", Thread.currentThread().getName());
        }
    }
}
