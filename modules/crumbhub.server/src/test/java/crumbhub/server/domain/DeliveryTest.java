package crumbhub.server.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeliveryTest {
    private final Fixture f = new Fixture();
    private Device alice;
    private Device bob;
    private Device bobPhone;

    @BeforeEach
    void users() {
        alice = f.register("alice");
        bob = f.register("bob");
        bobPhone = f.newDevice(bob.user());
    }

    @Test
    void seqsComeFromOneGrowingCounterWithServerTime() throws Rejected {
        var first = f.sendDirect(alice, "bob", "1");
        f.tick();
        var second = f.sendDirect(bob, "alice", "2");
        assertThat(second.seq()).isEqualTo(first.seq() + 1);
        assertThat(second.tsMs()).isEqualTo(first.tsMs() + 1000);
    }

    @Test
    void repeatedMessageIdReturnsOriginalAndStoresNothing() throws Rejected {
        byte[] id = f.id();
        var first = f.domain.send(alice, Kind.DIRECT, "bob", id, 0, "x".getBytes());
        int journal = f.journal.size();
        f.tick();
        var again = f.domain.send(alice, Kind.DIRECT, "bob", id.clone(), 0, "x".getBytes());
        assertThat(again).isInstanceOf(Domain.Duplicate.class);
        assertThat(again.seq()).isEqualTo(first.seq());
        assertThat(again.tsMs()).isEqualTo(first.tsMs());
        assertThat(f.journal).hasSize(journal);
        assertThat(Fixture.pending(bob)).containsExactly(first.seq());
    }

    @Test
    void sameMessageIdFromAnotherUserIsADifferentMessage() throws Rejected {
        byte[] id = f.id();
        var a = f.domain.send(alice, Kind.DIRECT, "bob", id, 0, "x".getBytes());
        var b = f.domain.send(bob, Kind.DIRECT, "alice", id, 0, "y".getBytes());
        assertThat(b).isInstanceOf(Domain.Stored.class);
        assertThat(b.seq()).isNotEqualTo(a.seq());
    }

    @Test
    void messageIsKeptUntilEveryIntendedDeviceAcked() throws Rejected {
        long seq = f.sendDirect(alice, "bob", "hi").seq();
        assertThat(f.state.message(seq).pending()).isEqualTo(2);
        assertThat(f.domain.acknowledge(bob, seq, seq)).isTrue();
        assertThat(f.state.message(seq)).isNotNull();
        assertThat(Fixture.pending(bob)).isEmpty();
        assertThat(Fixture.pending(bobPhone)).containsExactly(seq);
        f.domain.acknowledge(bobPhone, seq, seq);
        assertThat(f.state.message(seq)).isNull();
        assertThat(f.state.messageCount()).isZero();
    }

    @Test
    void cursorNeverMovesBackwardsNorPastTheLimit() throws Rejected {
        long s1 = f.sendDirect(alice, "bob", "1").seq();
        long s2 = f.sendDirect(alice, "bob", "2").seq();
        assertThat(f.domain.acknowledge(bob, s2 + 10, s1)).isTrue();
        assertThat(bob.cursor()).isEqualTo(s1);
        assertThat(f.domain.acknowledge(bob, s1 - 1, s2)).isFalse();
        assertThat(bob.cursor()).isEqualTo(s1);
        assertThat(Fixture.pending(bob)).containsExactly(s2);
    }

    @Test
    void revokingADeviceReleasesItsMessages() throws Rejected {
        long seq = f.sendDirect(alice, "bob", "hi").seq();
        f.domain.acknowledge(bob, seq, seq);
        f.domain.revokeDevice(bob.user(), bobPhone.id());
        assertThat(f.state.message(seq)).isNull();
        var later = f.sendDirect(alice, "bob", "again");
        assertThat(later.recipients()).containsExactly(bob);
    }

    @Test
    void roomRecipientsFollowEveryMembershipAndDeviceChangeBetweenMessages() throws Rejected {
        f.domain.rooms().create(alice.user(), "team");
        assertThat(f.sendRoom(alice, "team", "1").recipients()).isEmpty();
        f.domain.rooms().invite(alice.user(), "team", "bob");
        f.domain.rooms().join(bob.user(), "team");
        assertThat(f.sendRoom(alice, "team", "2").recipients()).containsExactly(bob, bobPhone);
        Device alicePhone = f.newDevice(alice.user());
        assertThat(f.sendRoom(alice, "team", "3").recipients()).containsExactly(alicePhone, bob, bobPhone);
        f.domain.revokeDevice(bob.user(), bobPhone.id());
        assertThat(f.sendRoom(bob, "team", "4").recipients()).containsExactly(alice, alicePhone);
        f.domain.rooms().leave(bob.user(), "team");
        assertThat(f.sendRoom(alicePhone, "team", "5").recipients()).containsExactly(alice);
        assertThat(Fixture.pending(bob)).hasSize(2);
    }

    @Test
    void messageForNoDeviceIsNotKeptButStillDeduplicated() throws Rejected {
        f.domain.rooms().create(alice.user(), "solo");
        byte[] id = f.id();
        var stored = f.domain.send(alice, Kind.ROOM, "solo", id, 0, "echo".getBytes());
        assertThat(((Domain.Stored) stored).recipients()).isEmpty();
        assertThat(f.state.messageCount()).isZero();
        assertThat(f.domain.send(alice, Kind.ROOM, "solo", id, 0, "echo".getBytes()).seq()).isEqualTo(stored.seq());
    }

    @Test
    void retentionDropsOldMessagesEvenIfUnacked() throws Rejected {
        long old = f.sendDirect(alice, "bob", "old").seq();
        f.time.advance(Duration.ofDays(10));
        long fresh = f.sendDirect(alice, "bob", "fresh").seq();
        assertThat(f.domain.expireBefore(f.clock.millis() - Duration.ofDays(5).toMillis())).isEqualTo(1);
        assertThat(f.state.message(old)).isNull();
        assertThat(Fixture.pending(bob)).containsExactly(fresh);
        assertThat(Fixture.pending(bobPhone)).containsExactly(fresh);
        assertThat(f.domain.expireBefore(f.clock.millis() - Duration.ofDays(5).toMillis())).isZero();
    }

    @Test
    void mailboxFindsPositionAfterAnySeq() throws Rejected {
        for (int i = 0; i < 100; i++) {
            f.sendDirect(alice, "bob", "m" + i);
        }
        MessageQueue q = bob.mailbox();
        assertThat(q.size()).isEqualTo(100);
        assertThat(q.indexAfter(0)).isZero();
        assertThat(q.indexAfter(50)).isEqualTo(50);
        assertThat(q.get(q.indexAfter(50)).seq()).isEqualTo(51);
        assertThat(q.indexAfter(100)).isEqualTo(100);
        f.domain.acknowledge(bob, 70, 100);
        assertThat(q.size()).isEqualTo(30);
        assertThat(q.get(q.indexAfter(80)).seq()).isEqualTo(81);
    }
}
