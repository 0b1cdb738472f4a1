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
    void theSeqLeaseSurvivesASnapshot() {
        var f = History.build();
        f.domain.leaseSeqs(0, f.state.lastSeq() + 70_000);
        State restored = SnapshotCodec.decode(SnapshotCodec.encode(f.state));
        assertThat(restored.seqLease()).isEqualTo(f.state.lastSeq() + 70_000);
        assertThat(restored.lastSeq()).isEqualTo(f.state.lastSeq());
    }

    @Test
    void aVersionTwoSnapshotLoadsWithTheLeaseAtItsLastSeq() {
        var f = History.build();
        byte[] v3 = withoutAccounts(f.state);
        // version 2 is version 3 without the lease field after lastSeq (u8 version, i64 lastSeq, i64 lease)
        byte[] v2 = new byte[v3.length - 8];
        System.arraycopy(v3, 0, v2, 0, 9);
        System.arraycopy(v3, 17, v2, 9, v3.length - 17);
        v2[0] = 2;
        State old = SnapshotCodec.decode(v2);
        assertThat(old.lastSeq()).isEqualTo(f.state.lastSeq());
        assertThat(old.seqLease()).as("servers before the lease pushed only durable messages")
                .isEqualTo(f.state.lastSeq());
        assertThat(old.messageCount()).isEqualTo(f.state.messageCount());
    }

    /** The state's version-4 snapshot: version 5 without its room-log and one-time KEM prekey sections, which end it. */
    private static byte[] withoutVersionFive(State state) {
        byte[] v5 = SnapshotCodec.encodeVersion5(state);
        var section = crumbhub.crypto.binary.BinaryWriter.growable(256);
        for (Room r : state.rooms.values()) {
            section.u32(r.logLength());
            r.log(0).forEach(section::bytes32);
        }
        KeyRules.writeKemSnapshot(section, state.users.values());
        byte[] v4 = Arrays.copyOf(v5, v5.length - section.toByteArray().length);
        v4[0] = 4;
        return v4;
    }

    @Test
    void aVersionFourSnapshotLoadsWithRoomsWithoutALog() {
        var f = History.build();
        assertThat(f.state.room("signed").logLength()).isEqualTo(3);
        assertThat(f.state.room("ops").logLength()).isEqualTo(1);
        State old = SnapshotCodec.decode(withoutVersionFive(f.state));
        assertThat(old.room("signed").logLength()).isZero();
        assertThat(old.room("signed").memberNames()).containsExactly("carol", "alice");
        assertThat(old.room("ops").memberNames()).isEqualTo(f.state.room("ops").memberNames());
        State restored = SnapshotCodec.decode(SnapshotCodec.encode(f.state));
        assertThat(restored.room("signed").log(0)).hasSize(3);
        assertThat(restored.room("signed").logHead()).isEqualTo(f.state.room("signed").logHead());
    }

    @Test
    void aVersionFourSnapshotLoadsWithEmptyKemPools() {
        var f = History.build();
        assertThat(f.state.user("bob").device(1).oneTimeKemPreKeyCount()).isEqualTo(2);
        State old = SnapshotCodec.decode(withoutVersionFive(f.state));
        assertThat(old.user("bob").device(1).oneTimeKemPreKeyCount()).isZero();
        assertThat(old.user("alice").accountIdentity()).containsExactly(1, 1, 1);
        assertThat(old.messageCount()).isEqualTo(f.state.messageCount());
    }

    @Test
    void oneTimeKemPreKeysSurviveASnapshotAndATakenOneStaysTaken() {
        var f = History.build();
        State restored = SnapshotCodec.decode(SnapshotCodec.encode(f.state));
        Device bob = restored.user("bob").device(1);
        assertThat(bob.oneTimeKemPreKeyCount()).isEqualTo(2);
        var d = new Domain(restored, f.clock, new java.security.SecureRandom(), c -> { });
        var ids = new java.util.ArrayList<Integer>();
        for (int i = 0; i < 3; i++) {
            var b = d.keys().takeBundles("bob", java.util.List.of(1), x -> true, true).get(0);
            ids.add(b.oneTimeKemPreKey() == null ? null : b.oneTimeKemPreKey().id());
        }
        assertThat(ids).as("key 1 was taken before the snapshot").containsExactly(2, 3, null);
    }

    /** The state's version-3 snapshot: version 4 without its account section, which ends it. */
    private static byte[] withoutAccounts(State state) {
        byte[] v4 = withoutVersionFive(state);
        var section = crumbhub.crypto.binary.BinaryWriter.growable(256);
        AccountRules.writeSnapshot(section, state.users.values());
        byte[] v3 = Arrays.copyOf(v4, v4.length - section.toByteArray().length);
        v3[0] = 3;
        return v3;
    }

    @Test
    void aVersionThreeSnapshotLoadsWithoutAccountIdentities() {
        var f = History.build();
        State old = SnapshotCodec.decode(withoutAccounts(f.state));
        assertThat(old.user("alice").accountIdentity()).isEmpty();
        assertThat(old.user("alice").device(1).certificate()).isEmpty();
        assertThat(old.messageCount()).isEqualTo(f.state.messageCount());
    }

    @Test
    void accountIdentitiesEscrowsAndCertificatesSurviveASnapshot() {
        var f = History.build();
        State restored = SnapshotCodec.decode(SnapshotCodec.encode(f.state));
        assertThat(restored.user("alice").accountIdentity()).containsExactly(1, 1, 1);
        assertThat(restored.user("alice").escrow()).containsExactly(2, 2);
        assertThat(restored.user("alice").device(1).certificate()).containsExactly(3, 3, 3);
        assertThat(restored.user("alice").device(2).certificate()).containsExactly(4);
        assertThat(restored.user("bob").accountIdentity()).isEmpty();
    }

    @Test
    void aLeaseWithASkipMovesTheLastSeqUpAndNeverDown() {
        var s = new State();
        s.apply(new Change.SeqLeased(0, 100));
        assertThat(s.lastSeq()).isZero();
        assertThat(s.seqLease()).isEqualTo(100);
        s.apply(new Change.SeqLeased(100, 100));
        assertThat(s.lastSeq()).as("a rebuilt state skips what the lease covered").isEqualTo(100);
        s.apply(new Change.SeqLeased(50, 60));
        assertThat(s.lastSeq()).isEqualTo(100);
        assertThat(s.seqLease()).as("a lease never shrinks").isEqualTo(100);
        assertThat(ChangeCodec.decode(ChangeCodec.encode(new Change.SeqLeased(7, 65_543))))
                .isEqualTo(new Change.SeqLeased(7, 65_543));
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

    @Test
    void aVersionFiveSnapshotWithMailboxesAsSeqsLoadsTheSameState() {
        var f = History.build();
        State old = SnapshotCodec.decode(SnapshotCodec.encodeVersion5(f.state));
        assertThat(SnapshotCodec.encode(old)).isEqualTo(SnapshotCodec.encode(f.state));
    }

    @Test
    void theSnapshotPartsEqualTheArrayAndShareLargeBodiesInsteadOfCopyingThem() throws Rejected {
        var f = History.build();
        byte[] large = new byte[5_000];
        Arrays.fill(large, (byte) 0x5a);
        var alice = f.state.user("alice").device(1);
        new Domain(f.state, f.clock, new java.security.SecureRandom(), c -> { })
                .send(alice, Kind.DIRECT, "bob", new byte[16], 1, large);
        var parts = SnapshotCodec.encodeParts(f.state);
        var joined = java.nio.ByteBuffer.allocate(parts.stream().mapToInt(java.nio.ByteBuffer::remaining).sum());
        parts.forEach(p -> joined.put(p.duplicate()));
        assertThat(joined.array()).isEqualTo(SnapshotCodec.encode(f.state));
        Message stored = f.state.message(f.state.lastSeq());
        assertThat(parts).as("the body is a part of its own, not a copy")
                .anyMatch(p -> p.remaining() == 5_000 && p.mismatch(java.nio.ByteBuffer.wrap(stored.body())) == -1);
        assertThat(SnapshotCodec.SHARED_BODY_BYTES).isLessThanOrEqualTo(5_000);
    }

    @Test
    void aRoomBacklogCostsTheSnapshotItsBodiesNotEightBytesPerWaitingDevice() throws Rejected {
        var f = new Fixture();
        var s = f.state;
        var d = f.domain;
        var owner = f.register("u0");
        d.rooms().create(owner.user(), "big");
        for (int i = 1; i < 50; i++) {
            f.register("u" + i);
            d.rooms().invite(owner.user(), "big", "u" + i);
            d.rooms().join(s.user("u" + i), "big");
        }
        int before = SnapshotCodec.encode(s).length;
        for (int i = 0; i < 2_000; i++) {
            byte[] id = java.nio.ByteBuffer.allocate(16).putInt(i).array();
            d.send(owner, Kind.ROOM, "big", id, 2, new byte[100]);
        }
        byte[] snap = SnapshotCodec.encode(s);
        int perMessage = (snap.length - before) / 2_000;
        // body 100 + header about 40; version 5 added 49 x 8 = 392 bytes of mailbox seqs to each
        assertThat(perMessage).isLessThan(200);
        assertThat(SnapshotCodec.encodeVersion5(s).length - before).isGreaterThan(2_000 * 450);
        State restored = SnapshotCodec.decode(snap);
        assertThat(SnapshotCodec.encode(restored)).isEqualTo(snap);
        assertThat(restored.user("u7").device(1).mailbox().size()).isEqualTo(2_000);
    }
}
