package crumbhub.wire.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An {@link Error} in a task whose executor keeps it in a future nobody reads still reaches the handler. */
class FatalErrorsTest {
    @AfterEach
    void restore() {
        FatalErrors.install(FatalErrors.STOP_THREAD);
    }

    @Test
    void anErrorInAScheduledTaskReachesTheInstalledHandler() throws Exception {
        var seen = new CompletableFuture<Error>();
        FatalErrors.install((thread, error) -> seen.complete(error));
        var scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            var error = new StackOverflowError("deep");
            scheduler.schedule(FatalErrors.reporting(() -> {
                throw error;
            }), 0, TimeUnit.MILLISECONDS);
            assertThat(seen.get(10, TimeUnit.SECONDS)).isSameAs(error);
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void aTaskThatCompletesReportsNothing() {
        var seen = new CompletableFuture<Error>();
        FatalErrors.install((thread, error) -> seen.complete(error));
        var ran = new boolean[1];
        FatalErrors.reporting(() -> ran[0] = true).run();
        assertThat(ran[0]).isTrue();
        assertThat(seen).isNotDone();
    }
}
