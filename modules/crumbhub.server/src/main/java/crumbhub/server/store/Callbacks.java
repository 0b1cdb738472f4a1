package crumbhub.server.store;

import crumbhub.wire.log.Log;
import java.util.function.Consumer;

/** Runs a caller's completion callback so that a throwing callback cannot stop a store thread. */
final class Callbacks {
    private static final Log LOG = Log.get("crumbhub.server.store");

    private Callbacks() {
    }

    /**
     * Calls {@code onDone} with {@code failure} (null for success). Anything it throws is logged,
     * except a {@link VirtualMachineError}, after which the JVM cannot be trusted to go on.
     */
    static void complete(Consumer<StoreException> onDone, StoreException failure) {
        try {
            onDone.accept(failure);
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable e) {
            LOG.error(e, "store_callback_failed", "thread", Thread.currentThread().getName());
        }
    }
}
