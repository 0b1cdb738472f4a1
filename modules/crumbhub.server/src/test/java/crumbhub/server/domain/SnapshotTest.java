package crumbhub.server.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SnapshotTest {
    @Test
    void replayOfTheJournalEqualsLiveState() {
        var f = History.build();
        var replayed = new State();
        for (Change c : f.journal) {
            replayed.apply(ChangeCodec.decode(ChangeCodec.encode(c)));
        }
        assertThat(SnapshotCodec.encode(replayed)).isEqualTo(SnapshotCodec.encode(f.state));
    }

    @Test
    void snapshotAtAnyPointPlusReplayOfTheRestEqualsLiveState() {
        var f = History.build();
        byte[] live = SnapshotCodec.encode(f.state);
        for (int k = 0; k <= f.journal.size(); k += 3) {
            var prefix = new State();
            for (Change c : f.journal.subList(0, k)) {
                prefix.apply(c);
            }
            State restored = SnapshotCodec.decode(SnapshotCodec.encode(prefix));
            for (Change c : f.journal.subList(k, f.journal.size())) {
                restored.apply(c);
            }
            assertThat(SnapshotCodec.encode(restored)).as("snapshot after %d changes", k).isEqualTo(live);
        }
    }

    @Test
    void restoredStateKeepsMailboxesCursorsAndDeduplication() throws Rejected {
        var f = History.build();
        State restored = SnapshotCodec.decode(SnapshotCodec.encode(f.state));
        Device carol = restored.user("carol").device(1);
        assertThat(Fixture.pending(carol)).isEqualTo(Fixture.pending(f.state.user("carol").device(1)));
        assertThat(carol.cursor()).isEqualTo(f.state.user("carol").device(1).cursor());
        var d = new Domain(restored, f.clock, new java.security.SecureRandom(), c -> { });
        var lateId = f.journal.stream()
                .filter(c -> c instanceof Change.MessageStored m && m.sender().equals("carol")
                        && m.target().equals("alice"))
                .map(c -> ((Change.MessageStored) c).messageId())
                .findFirst().orElseThrow();
        assertThat(d.send(carol, Kind.DIRECT, "alice", lateId, 0, new byte[0]))
                .isInstanceOf(Domain.Duplicate.class);
    }

    @Test
    void corruptSnapshotsAreRejected() {
        byte[] good = SnapshotCodec.encode(History.build().state);
        assertThatThrownBy(() -> SnapshotCodec.decode(Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(CorruptStateException.class);
        assertThatThrownBy(() -> SnapshotCodec.decode(Arrays.copyOf(good, good.length + 1)))
                .isInstanceOf(CorruptStateException.class);
        byte[] version = good.clone();
        version[0] = 9;
        assertThatThrownBy(() -> SnapshotCodec.decode(version)).hasMessageContaining("version");
    }
}
