package crumbhub.server.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link State#copy()} and {@link State#replaceWith}: the server's undo of changes that failed to become durable. */
class StateCopyTest {
    @Test
    void theHistoryUsedHereProducesEveryKindOfChange() {
        // a new kind of change must be added to History, so that copy() is proven to carry what it touches
        Set<Class<?>> seen = new HashSet<>();
        History.build().journal.forEach(c -> seen.add(c.getClass()));
        assertThat(seen).containsExactlyInAnyOrder(Change.class.getPermittedSubclasses());
    }

    @Test
    void aCopyAtAnyPointEncodesEquallyAndEvolvesIndependently() {
        var f = History.build();
        List<Change> all = f.journal;
        byte[] live = SnapshotCodec.encode(f.state);
        for (int k = 0; k <= all.size(); k++) {
            var prefix = new State();
            all.subList(0, k).forEach(prefix::apply);
            byte[] before = SnapshotCodec.encode(prefix);
            State copy = prefix.copy();
            assertThat(SnapshotCodec.encode(copy)).as("copy after %d changes", k).isEqualTo(before);
            all.subList(k, all.size()).forEach(copy::apply);
            assertThat(SnapshotCodec.encode(copy)).as("copy after %d changes, then the rest", k).isEqualTo(live);
            assertThat(SnapshotCodec.encode(prefix)).as("original untouched by the copy's changes").isEqualTo(before);
        }
    }

    @Test
    void replaceWithRollsTheStateBackToTheCopy() {
        var f = History.build();
        byte[] live = SnapshotCodec.encode(f.state);
        int half = f.journal.size() / 2;
        var durable = new State();
        f.journal.subList(0, half).forEach(durable::apply);
        byte[] expected = SnapshotCodec.encode(durable);

        f.state.replaceWith(durable.copy());

        assertThat(SnapshotCodec.encode(f.state)).isEqualTo(expected);
        // the rolled-back state accepts the same changes again, as after a restart
        f.journal.subList(half, f.journal.size()).forEach(f.state::apply);
        assertThat(SnapshotCodec.encode(f.state)).isEqualTo(live);
    }
}
