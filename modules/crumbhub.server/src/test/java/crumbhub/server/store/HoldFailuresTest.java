package crumbhub.server.store;

import static crumbhub.server.store.StoreFixtures.Collected;
import static crumbhub.server.store.StoreFixtures.Done;
import static crumbhub.server.store.StoreFixtures.appendAll;
import static crumbhub.server.store.StoreFixtures.record;
import static crumbhub.server.store.StoreFixtures.reopen;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link StoreOptions#holdFailures()}: after a failed write nothing is written until the caller resumes. */
class HoldFailuresTest {
    @TempDir
    Path dir;

    private final Faults faults = new Faults();

    private static List<byte[]> records(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> record("h", i, 100)).toList();
    }

    @Test
    void recordsQueuedBehindAFailedWriteFailUnwrittenUntilResumed() throws Exception {
        var options = StoreOptions.defaults().withOpener(faults.opener()).withHoldFailures(true);
        try (var store = EventStore.open(dir, options, new Collected())) {
            appendAll(store, records(0, 3));
            // hold the next force, so later appends queue up behind the batch that will fail
            var gate = new CountDownLatch(1);
            faults.forceGate = gate;
            faults.failForce = true;
            var first = new Done();
            store.append(records(3, 4).getFirst(), first);
            var behind = new ArrayList<Done>();
            for (byte[] r : records(4, 8)) {
                var d = new Done();
                store.append(r, d);
                behind.add(d);
            }
            var snapshot = new Done();
            store.snapshot(new byte[] {1, 2, 3}, snapshot);
            gate.countDown();
            assertThat(first.await()).isNotNull();
            faults.failForce = false;
            // in the failed batch, or held behind it: either way not written
            assertThat(behind).allSatisfy(d -> assertThat(d.await()).isNotNull());
            assertThat(snapshot.await()).isNotNull();

            var stillHeld = new Done();
            store.append(records(8, 9).getFirst(), stillHeld);
            assertThat(stillHeld.await()).hasMessageContaining("holds until resumed");

            store.resume();
            appendAll(store, records(9, 12));
        }
        var expected = new ArrayList<byte[]>(records(0, 3));
        expected.addAll(records(9, 12));
        assertThat(reopen(dir, StoreOptions.defaults()).records).containsExactlyElementsOf(expected);
    }

    @Test
    void withoutTheHoldLaterAppendsAreWrittenAtOnce() throws Exception {
        var options = StoreOptions.defaults().withOpener(faults.opener());
        try (var store = EventStore.open(dir, options, new Collected())) {
            faults.failForce = true;
            var failed = new Done();
            store.append(records(0, 1).getFirst(), failed);
            assertThat(failed.await()).isNotNull();
            faults.failForce = false;
            appendAll(store, records(1, 2));
            store.resume();
        }
        assertThat(reopen(dir, StoreOptions.defaults()).records).containsExactlyElementsOf(records(1, 2));
    }
}
