package crumbhub.server.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Quotas (docs/server.md "Quotas"): each one refuses with {@code quota} and changes nothing, is
 * released when messages are acknowledged, expire or their device is revoked, and is derived from
 * the durable state, so a replayed log or a loaded snapshot enforces exactly what the live state did.
 */
class QuotasTest {
    /** What one message of {@code bodyBytes} counts against a mailbox's byte quota. */
    private static long charge(int bodyBytes) {
        return bodyBytes + Message.OVERHEAD_BYTES;
    }

    /** What one message of {@code bodyBytes} to one device counts against the sender's and the server's quotas. */
    private static long held(int bodyBytes) {
        return charge(bodyBytes) + Message.SLOT_BYTES;
    }

    private static Reason reasonOf(ThrowingRunnable r) {
        try {
            r.run();
        } catch (Rejected e) {
            return e.reason();
        }
        return null;
    }

    private interface ThrowingRunnable {
        void run() throws Rejected;
    }

    private static Rejected rejection(ThrowingRunnable r) {
        try {
            r.run();
        } catch (Rejected e) {
            return e;
        }
        throw new AssertionError("not refused");
    }

    @Test
    void oneSenderGetsHalfAMailboxAndAFullMailboxRefusesEveryoneUntilItsDeviceAcknowledges() throws Rejected {
        var f = new Fixture(Quotas.defaults().withMailbox(4, Long.MAX_VALUE));
        Device alice = f.register("alice");
        Device bob = f.register("bob");
        Device carol = f.register("carol");
        Device dave = f.register("dave");
        f.sendDirect(alice, "bob", "a0");
        f.sendDirect(alice, "bob", "a1");
        int journalled = f.journal.size();
        Rejected share = rejection(() -> f.sendDirect(alice, "bob", "a2"));
        assertThat(share.reason()).isEqualTo(Reason.QUOTA);
        assertThat(share.getMessage()).isEqualTo("you have 2 messages (516 bytes) waiting in bob's mailbox, as much as "
                + "one sender may; send more once they have read some");
        assertThat(f.journal).as("a refusal changes nothing").hasSize(journalled);
        f.sendDirect(carol, "bob", "c0");
        Domain.Stored last = f.sendDirect(carol, "bob", "c1");
        Rejected full = rejection(() -> f.sendDirect(dave, "bob", "d0"));
        assertThat(full.getMessage()).isEqualTo("bob's mailbox is full (4 messages waiting); try again once they have read some");
        assertThat(f.domain.quotaRefusals(Quotas.Kind.MAILBOX_MESSAGES)).isEqualTo(2);

        f.domain.acknowledge(bob, last.seq(), last.seq());
        assertThat(bob.mailbox().size()).isZero();
        assertThat(bob.mailbox().bytes()).isZero();
        assertThat(bob.mailbox().directMessagesFrom("alice")).isZero();
        f.sendDirect(alice, "bob", "read, so room again");
        f.sendDirect(dave, "bob", "for everyone");
    }

    @Test
    void mailboxBytesCountBodiesPlusTheOverheadSoTinyMessagesCannotEvadeThem() throws Rejected {
        var f = new Fixture(Quotas.defaults().withMailbox(Integer.MAX_VALUE, 4 * charge(0)));
        Device alice = f.register("alice");
        f.register("bob");
        f.sendDirect(alice, "bob", "");
        f.sendDirect(alice, "bob", "");
        assertThat(f.state.user("bob").device(1).mailbox().bytes()).isEqualTo(2 * charge(0));
        assertThat(f.state.user("bob").device(1).mailbox().directBytesFrom("alice")).isEqualTo(2 * charge(0));
        assertThat(reasonOf(() -> f.sendDirect(alice, "bob", ""))).isEqualTo(Reason.QUOTA);
        assertThat(f.domain.quotaRefusals(Quotas.Kind.MAILBOX_BYTES)).isEqualTo(1);
    }

    @Test
    void roomMessagesAreBoundByTheSenderQuotaNotByAnIdleMembersMailbox() throws Rejected {
        var f = new Fixture(Quotas.defaults().withMailbox(2, Long.MAX_VALUE));
        Device alice = f.register("alice");
        f.register("bob");
        f.domain.rooms().create(alice.user(), "ops");
        f.domain.rooms().invite(alice.user(), "ops", "bob");
        f.domain.rooms().join(f.state.user("bob"), "ops");
        for (int i = 0; i < 5; i++) {
            f.sendRoom(alice, "ops", "room " + i);
        }
        assertThat(f.state.user("bob").device(1).mailbox().size()).isEqualTo(5);
        assertThat(reasonOf(() -> f.sendDirect(alice, "bob", "but a direct message waits")))
                .isEqualTo(Reason.QUOTA);
    }

    @Test
    void oneSendersWaitingBytesAreCappedOverAllItsTargetsAndReleasedOnExpiry() throws Rejected {
        var f = new Fixture(Quotas.defaults().withSenderBytes(4 * held(10)));
        Device mallory = f.register("mallory");
        f.register("bob");
        f.register("carol");
        f.sendDirect(mallory, "bob", "0123456789");
        f.sendDirect(mallory, "carol", "0123456789");
        f.sendDirect(mallory, "bob", "0123456789");
        f.sendDirect(mallory, "carol", "0123456789");
        assertThat(mallory.user().waitingBytes()).isEqualTo(4 * held(10));
        Rejected refused = rejection(() -> f.sendDirect(mallory, "carol", "0123456789"));
        assertThat(refused.reason()).isEqualTo(Reason.QUOTA);
        assertThat(refused.getMessage()).startsWith("you have 1.1 KiB of messages waiting for their recipients");
        assertThat(f.domain.quotaRefusals(Quotas.Kind.SENDER_BYTES)).isEqualTo(1);
        Device carol = f.state.user("carol").device(1);
        assertThat(reasonOf(() -> f.sendDirect(carol, "bob", "others still send"))).isNull();

        f.tick();
        f.domain.expireBefore(f.clock.millis());
        assertThat(mallory.user().waitingBytes()).isZero();
        assertThat(f.state.waitingBytes()).isZero();
        f.sendDirect(mallory, "bob", "0123456789");
    }

    @Test
    void aRevokedDeviceReleasesWhatWaitedForIt() throws Rejected {
        var f = new Fixture(Quotas.defaults().withSenderBytes(2 * held(1)));
        Device alice = f.register("alice");
        Device bob = f.register("bob");
        f.sendDirect(alice, "bob", "a");
        f.sendDirect(alice, "bob", "b");
        assertThat(reasonOf(() -> f.sendDirect(alice, "bob", "c"))).isEqualTo(Reason.QUOTA);
        f.domain.revokeDevice(bob.user(), bob.id());
        assertThat(alice.user().waitingBytes()).isZero();
        f.newDevice(bob.user());
        f.sendDirect(alice, "bob", "c");
    }

    @Test
    void theServerQuotaBoundsEverySenderTogether() throws Rejected {
        var f = new Fixture(Quotas.defaults().withServerBytes(3 * held(1)));
        Device alice = f.register("alice");
        Device bob = f.register("bob");
        f.register("carol");
        f.sendDirect(alice, "carol", "a");
        f.sendDirect(bob, "carol", "b");
        f.sendDirect(bob, "carol", "c");
        Rejected refused = rejection(() -> f.sendDirect(alice, "carol", "d"));
        assertThat(refused.getMessage()).startsWith("this server holds all the undelivered messages it can");
        assertThat(f.domain.quotaRefusals(Quotas.Kind.SERVER_BYTES)).isEqualTo(1);
    }

    /**
     * A room message waits in every member device's mailbox: the server quota charges a slot per
     * device, so a flood of small messages to a big room stops at the quota instead of filling the
     * heap (found by the overload benchmark: the server ran out of memory with the quotas at a third).
     */
    @Test
    void aRoomMessageHoldsASlotForEachRecipientDeviceAgainstTheServerQuota() throws Rejected {
        var f = new Fixture(Quotas.defaults().withServerBytes(2 * Message.held(1, 9)));
        Device alice = f.register("alice");
        f.domain.rooms().create(alice.user(), "big");
        for (int i = 0; i < 9; i++) {
            f.register("m" + i);
            f.domain.rooms().invite(alice.user(), "big", "m" + i);
            f.domain.rooms().join(f.state.user("m" + i), "big");
        }
        f.sendRoom(alice, "big", "a");
        long last = f.sendRoom(alice, "big", "b").seq();
        assertThat(f.state.waitingBytes()).isEqualTo(2 * Message.held(1, 9));
        assertThat(reasonOf(() -> f.sendRoom(alice, "big", "c"))).isEqualTo(Reason.QUOTA);
        for (int i = 0; i < 9; i++) {
            f.domain.acknowledge(f.state.user("m" + i).device(1), last, last);
        }
        assertThat(f.state.waitingBytes()).isZero();
    }

    @Test
    void sendToDevicesCountsEachCopyAgainstTheQuotas() throws Rejected {
        var f = new Fixture(Quotas.defaults().withMailbox(2, Long.MAX_VALUE));
        Device alice = f.register("alice");
        f.register("bob");
        var entry = List.of(new Change.DeviceEntry("bob", 1, new byte[] {1}));
        f.domain.sendToDevices(alice, Kind.DIRECT, "bob", f.id(), 0, entry);
        Rejected refused = rejection(() -> f.domain.sendToDevices(alice, Kind.DIRECT, "bob", f.id(), 0, entry));
        assertThat(refused.reason()).isEqualTo(Reason.QUOTA);
    }

    @Test
    void quotaCountsAreDerivedFromTheDurableStateAfterReplaySnapshotAndCopy() throws Rejected {
        var f = new Fixture(Quotas.defaults().withMailbox(8, Long.MAX_VALUE).withSenderBytes(1 << 20));
        Device alice = f.register("alice");
        Device bob = f.register("bob");
        f.register("carol");
        f.domain.rooms().create(alice.user(), "ops");
        f.domain.rooms().invite(alice.user(), "ops", "carol");
        f.domain.rooms().join(f.state.user("carol"), "ops");
        Domain.Stored first = f.sendDirect(alice, "bob", "hello");
        f.domain.acknowledge(bob, first.seq(), first.seq());
        for (int i = 0; i < 4; i++) {
            f.sendDirect(alice, "bob", "more " + i);
        }
        f.sendRoom(alice, "ops", "to the room");

        var replayed = new State();
        f.journal.forEach(c -> replayed.apply(ChangeCodec.decode(ChangeCodec.encode(c))));
        State snapshot = SnapshotCodec.decode(SnapshotCodec.encode(f.state));
        State copy = f.state.copy();
        for (State s : List.of(replayed, snapshot, copy)) {
            assertThat(s.waitingBytes()).isEqualTo(f.state.waitingBytes());
            assertThat(s.user("alice").waitingBytes()).isEqualTo(alice.user().waitingBytes());
            assertThat(s.user("bob").device(1).mailbox().bytes()).isEqualTo(bob.mailbox().bytes());
            assertThat(s.user("bob").device(1).mailbox().directBytesFrom("alice")).isEqualTo(4 * charge(6));
            var d = new Domain(s, f.clock, new SecureRandom(), c -> { }, f.domain.quotas());
            assertThat(reasonOf(() -> d.send(s.user("alice").device(1), Kind.DIRECT, "bob", f.id(), 0, new byte[1])))
                    .as("alice's share of bob's mailbox is still full").isEqualTo(Reason.QUOTA);
        }
        assertThat(f.state.waitingBytes()).isEqualTo(alice.user().waitingBytes())
                .isEqualTo(4 * held(6) + held(11));
    }

    /** Finding 5: one account filled a victim's 1,000 room slots with invitations in 1.2 s. */
    @Test
    void oneAccountCannotFillAnotherAccountsRoomSlotsWithInvitations() throws Rejected {
        var f = new Fixture();
        Device mallory = f.register("mallory");
        Device victim = f.register("victim");
        Device friend = f.register("friend");
        int invited = 0;
        for (int i = 0; i < RoomRules.MAX_ROOMS_PER_USER; i++) {
            String room = "spam" + i;
            if (reasonOf(() -> f.domain.rooms().create(mallory.user(), room)) != null) {
                break;
            }
            if (reasonOf(() -> f.domain.rooms().invite(mallory.user(), room, "victim")) == null) {
                invited++;
            }
        }
        assertThat(invited).as("invitations one account got into the victim's list")
                .isLessThanOrEqualTo(f.domain.quotas().invitesSent());
        f.domain.rooms().create(victim.user(), "mine");
        f.domain.rooms().create(friend.user(), "friends");
        f.domain.rooms().invite(friend.user(), "friends", "victim");
        f.domain.rooms().join(victim.user(), "friends");
        assertThat(f.domain.quotaRefusals(Quotas.Kind.INVITES_SENT)).isPositive();
    }

    @Test
    void invitationsReceivedAndRoomsJoinedHaveTheirOwnQuotas() throws Rejected {
        var f = new Fixture(Quotas.defaults().withRooms(2, 2, 10));
        Device alice = f.register("alice");
        Device bob = f.register("bob");
        for (String r : List.of("a", "b", "c")) {
            if (!r.equals("c")) {
                f.domain.rooms().create(alice.user(), r);
            }
        }
        assertThat(reasonOf(() -> f.domain.rooms().create(alice.user(), "c"))).isEqualTo(Reason.QUOTA);
        f.domain.rooms().create(bob.user(), "x");
        f.domain.rooms().invite(alice.user(), "a", "bob");
        f.domain.rooms().invite(alice.user(), "b", "bob");
        f.domain.rooms().leave(alice.user(), "b");
        assertThat(f.state.room("b")).as("the last member left").isNull();
        f.domain.rooms().create(alice.user(), "c");
        f.domain.rooms().invite(alice.user(), "c", "bob");
        f.domain.rooms().create(f.register("carol").user(), "d");
        Rejected refused = rejection(() -> f.domain.rooms().invite(f.state.user("carol"), "d", "bob"));
        assertThat(refused.getMessage()).isEqualTo("bob has 2 invitations waiting; they must accept or decline some first");
        f.domain.rooms().join(bob.user(), "a");
        assertThat(reasonOf(() -> f.domain.rooms().join(bob.user(), "c")))
                .as("bob is in x and a: his rooms-joined quota").isEqualTo(Reason.QUOTA);
        f.domain.rooms().leave(bob.user(), "x");
        f.domain.rooms().join(bob.user(), "c");
    }

    @Test
    void quotasThatCannotFitOneRoomListAreRefused() {
        assertThatThrownBy(() -> Quotas.defaults().withRooms(900, 200, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one room list frame");
    }
}
