package crumbhub.server.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RoomsTest {
    private final Fixture f = new Fixture();
    private Device alice;
    private Device bob;
    private Device carol;

    @BeforeEach
    void users() {
        alice = f.register("alice");
        bob = f.register("bob");
        carol = f.register("carol");
    }

    private static Reason reasonOf(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        try {
            call.call();
        } catch (Rejected r) {
            return r.reason();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        throw new AssertionError("not rejected");
    }

    private User u(Device d) {
        return d.user();
    }

    @Test
    void ownerCreatesInvitesAndInvitedUserJoins() throws Rejected {
        f.domain.rooms().create(u(alice), "#Ops".substring(1));
        f.domain.rooms().invite(u(alice), "ops", "Bob");
        assertThat(f.domain.rooms().of(u(bob))).containsExactly(new RoomRules.RoomEntry("ops", false, 1));
        f.domain.rooms().join(u(bob), "ops");
        assertThat(f.domain.rooms().of(u(bob))).containsExactly(new RoomRules.RoomEntry("ops", true, 2));
        assertThat(f.domain.rooms().members(u(bob), "ops")).containsExactly(
                new RoomRules.MemberEntry("alice", RoomRules.Role.OWNER),
                new RoomRules.MemberEntry("bob", RoomRules.Role.MEMBER));
    }

    @Test
    void roomRulesRefuseWithStableReasons() throws Rejected {
        f.domain.rooms().create(u(alice), "ops");
        assertThat(reasonOf(() -> f.domain.rooms().create(u(bob), "OPS"))).isEqualTo(Reason.EXISTS);
        assertThat(reasonOf(() -> f.domain.rooms().create(u(bob), "no spaces"))).isEqualTo(Reason.INVALID_NAME);
        assertThat(reasonOf(() -> f.domain.rooms().join(u(bob), "ops"))).isEqualTo(Reason.FORBIDDEN);
        assertThat(reasonOf(() -> f.domain.rooms().join(u(bob), "nothere"))).isEqualTo(Reason.NOT_FOUND);
        assertThat(reasonOf(() -> f.domain.rooms().invite(u(bob), "ops", "carol"))).isEqualTo(Reason.NOT_MEMBER);
        assertThat(reasonOf(() -> f.domain.rooms().invite(u(alice), "ops", "ghost"))).isEqualTo(Reason.NOT_FOUND);
        assertThat(reasonOf(() -> f.domain.rooms().invite(u(alice), "ops", "alice"))).isEqualTo(Reason.EXISTS);
        f.domain.rooms().invite(u(alice), "ops", "bob");
        f.domain.rooms().join(u(bob), "ops");
        assertThat(reasonOf(() -> f.domain.rooms().invite(u(bob), "ops", "carol"))).isEqualTo(Reason.FORBIDDEN);
        assertThat(reasonOf(() -> f.domain.rooms().kick(u(bob), "ops", "alice"))).isEqualTo(Reason.FORBIDDEN);
        assertThat(reasonOf(() -> f.domain.rooms().kick(u(alice), "ops", "carol"))).isEqualTo(Reason.NOT_MEMBER);
        assertThat(reasonOf(() -> f.domain.rooms().kick(u(alice), "ops", "alice"))).isEqualTo(Reason.FORBIDDEN);
        assertThat(reasonOf(() -> f.domain.rooms().members(u(carol), "ops"))).isEqualTo(Reason.NOT_MEMBER);
        assertThat(reasonOf(() -> f.domain.rooms().leave(u(carol), "ops"))).isEqualTo(Reason.NOT_MEMBER);
        assertThat(reasonOf(() -> f.sendRoom(carol, "ops", "hi"))).isEqualTo(Reason.NOT_MEMBER);
        assertThat(reasonOf(() -> f.sendRoom(carol, "none", "hi"))).isEqualTo(Reason.NOT_FOUND);
    }

    @Test
    void ownershipPassesToLongestStandingMemberAndEmptyRoomDisappears() throws Rejected {
        f.domain.rooms().create(u(alice), "ops");
        f.domain.rooms().invite(u(alice), "ops", "bob");
        f.domain.rooms().invite(u(alice), "ops", "carol");
        f.domain.rooms().join(u(bob), "ops");
        f.domain.rooms().leave(u(alice), "ops");
        assertThat(f.state.room("ops").owner()).isEqualTo("bob");
        f.domain.rooms().leave(u(bob), "ops");
        assertThat(f.state.room("ops")).isNull();
        assertThat(f.domain.rooms().of(u(carol))).isEmpty();
    }

    @Test
    void invitationCanBeDeclinedOrWithdrawn() throws Rejected {
        f.domain.rooms().create(u(alice), "ops");
        f.domain.rooms().invite(u(alice), "ops", "bob");
        f.domain.rooms().leave(u(bob), "ops");
        assertThat(f.domain.rooms().of(u(bob))).isEmpty();
        f.domain.rooms().invite(u(alice), "ops", "bob");
        f.domain.rooms().kick(u(alice), "ops", "bob");
        assertThat(reasonOf(() -> f.domain.rooms().join(u(bob), "ops"))).isEqualTo(Reason.FORBIDDEN);
    }

    @Test
    void kickedMemberGetsNothingStoredAfterTheKick() throws Rejected {
        f.domain.rooms().create(u(alice), "ops");
        f.domain.rooms().invite(u(alice), "ops", "bob");
        f.domain.rooms().join(u(bob), "ops");
        long before = f.sendRoom(alice, "ops", "while member").seq();
        f.domain.rooms().kick(u(alice), "ops", "bob");
        var after = f.sendRoom(alice, "ops", "after kick");
        assertThat(after.recipients()).doesNotContain(bob);
        assertThat(Fixture.pending(bob)).containsExactly(before);
        assertThat(reasonOf(() -> f.sendRoom(bob, "ops", "still here?"))).isEqualTo(Reason.NOT_MEMBER);
    }

    @Test
    void memberWhoLeftGetsNothingAfterAndRejoinerGetsOnlyNewMessages() throws Rejected {
        f.domain.rooms().create(u(alice), "ops");
        f.domain.rooms().invite(u(alice), "ops", "bob");
        f.domain.rooms().join(u(bob), "ops");
        f.domain.rooms().leave(u(bob), "ops");
        f.sendRoom(alice, "ops", "while away");
        f.domain.rooms().invite(u(alice), "ops", "bob");
        f.domain.rooms().join(u(bob), "ops");
        assertThat(f.state.room("ops").joinedSeq("bob")).isEqualTo(1);
        long back = f.sendRoom(alice, "ops", "welcome back").seq();
        assertThat(Fixture.pending(bob)).containsExactly(back);
    }

    @Test
    void newMemberDoesNotGetEarlierMessages() throws Rejected {
        f.domain.rooms().create(u(alice), "ops");
        f.domain.rooms().invite(u(alice), "ops", "carol");
        f.sendRoom(alice, "ops", "before carol");
        f.domain.rooms().join(u(carol), "ops");
        long seq = f.sendRoom(alice, "ops", "after carol").seq();
        assertThat(Fixture.pending(carol)).containsExactly(seq);
    }

    @Test
    void roomMessageGoesToEveryMemberDeviceAndSendersOtherDevicesOnly() throws Rejected {
        f.domain.rooms().create(u(alice), "ops");
        f.domain.rooms().invite(u(alice), "ops", "bob");
        f.domain.rooms().join(u(bob), "ops");
        Device alicePhone = f.newDevice(u(alice));
        Device bobPhone = f.newDevice(u(bob));
        var stored = f.sendRoom(alice, "ops", "hi");
        assertThat(stored.recipients()).containsExactly(alicePhone, bob, bobPhone);
        assertThat(stored.recipients()).doesNotContain(carol, alice);
    }

    @Test
    void directMessageGoesToPeerDevicesAndSendersOtherDevices() throws Rejected {
        Device alicePhone = f.newDevice(u(alice));
        var stored = f.sendDirect(alice, "BOB", "hi");
        assertThat(stored.message().target()).isEqualTo("bob");
        assertThat(stored.recipients()).containsExactly(bob, alicePhone);
        assertThat(reasonOf(() -> f.sendDirect(alice, "ghost", "hi"))).isEqualTo(Reason.NOT_FOUND);
    }

    @Test
    void roomListsShowMembershipAndInvitations() throws Rejected {
        f.domain.rooms().create(u(alice), "b-room");
        f.domain.rooms().create(u(alice), "a-room");
        f.domain.rooms().invite(u(alice), "b-room", "carol");
        assertThat(f.domain.rooms().of(u(alice))).extracting(RoomRules.RoomEntry::room).containsExactly("a-room", "b-room");
        assertThat(f.domain.rooms().members(u(carol), "b-room")).isEqualTo(List.of(
                new RoomRules.MemberEntry("alice", RoomRules.Role.OWNER),
                new RoomRules.MemberEntry("carol", RoomRules.Role.INVITED)));
    }

    private void sign(Device by, String room, crumbhub.crypto.account.RoomStatement.Action action, String subject)
            throws Rejected {
        f.domain.rooms().signed(u(by), Statements.next(f.state, u(by).name(), room, action, subject));
    }

    @Test
    void signedStatementsChangeMembershipAndFormTheLog() throws Rejected {
        sign(alice, "ops", crumbhub.crypto.account.RoomStatement.Action.CREATE, "");
        sign(alice, "ops", crumbhub.crypto.account.RoomStatement.Action.INVITE, "bob");
        sign(bob, "ops", crumbhub.crypto.account.RoomStatement.Action.JOIN, "");
        sign(alice, "ops", crumbhub.crypto.account.RoomStatement.Action.INVITE, "carol");
        sign(alice, "ops", crumbhub.crypto.account.RoomStatement.Action.KICK, "carol");
        assertThat(f.state.room("ops").memberNames()).containsExactly("alice", "bob");
        assertThat(f.state.room("ops").invitedNames()).isEmpty();
        var slice = f.domain.rooms().log(u(bob), "ops", 3);
        assertThat(slice.length()).isEqualTo(5);
        assertThat(slice.statements()).hasSize(2);
        assertThat(reasonOf(() -> f.domain.rooms().log(u(carol), "ops", 0))).isEqualTo(Reason.NOT_MEMBER);
    }

    @Test
    void theServerRefusesStatementsItCanTellAreWrong() throws Rejected {
        var create = crumbhub.crypto.account.RoomStatement.Action.CREATE;
        var invite = crumbhub.crypto.account.RoomStatement.Action.INVITE;
        sign(alice, "ops", create, "");
        // signed as someone else
        assertThat(reasonOf(() -> f.domain.rooms().signed(u(bob),
                Statements.next(f.state, "alice", "ops", invite, "bob")))).isEqualTo(Reason.FORBIDDEN);
        // not the next entry: a stale number
        byte[] stale = crumbhub.crypto.account.RoomStatement.sign(Statements.key("alice"), "ops", 0, new byte[0], "alice",
                invite, "bob", List.of(), List.of(), 1, new java.security.SecureRandom()).encode();
        assertThat(reasonOf(() -> f.domain.rooms().signed(u(alice), stale))).isEqualTo(Reason.WRONG_STATE);
        // the owner alone invites; only the invited join
        assertThat(reasonOf(() -> sign(bob, "ops", crumbhub.crypto.account.RoomStatement.Action.JOIN, "")))
                .isEqualTo(Reason.FORBIDDEN);
        sign(alice, "ops", invite, "bob");
        assertThat(reasonOf(() -> sign(alice, "ops", invite, "bob"))).as("a statement that changes nothing")
                .isEqualTo(Reason.EXISTS);
        assertThat(reasonOf(() -> f.domain.rooms().signed(u(alice), new byte[] {1, 2, 3}))).isEqualTo(Reason.INVALID_KEY);
        assertThat(f.state.room("ops").logLength()).isEqualTo(2);
    }

    @Test
    void anOwnerSignsARoomFromBeforeTheLogOnlyAsItStands() throws Rejected {
        f.domain.rooms().create(u(alice), "old");
        f.domain.rooms().invite(u(alice), "old", "bob");
        f.domain.rooms().join(u(bob), "old");
        f.domain.rooms().invite(u(alice), "old", "carol");
        var create = crumbhub.crypto.account.RoomStatement.Action.CREATE;
        assertThat(reasonOf(() -> f.domain.rooms().signed(u(bob),
                Statements.next(f.state, "bob", "old", create, "", List.of("alice"), List.of("carol")))))
                .as("not the owner").isEqualTo(Reason.FORBIDDEN);
        assertThat(reasonOf(() -> f.domain.rooms().signed(u(alice),
                Statements.next(f.state, "alice", "old", create, "", List.of("bob", "mallory"), List.of("carol")))))
                .isEqualTo(Reason.WRONG_STATE);
        f.domain.rooms().signed(u(alice), Statements.next(f.state, "alice", "old", create, "", List.of("bob"),
                List.of("carol")));
        assertThat(f.state.room("old").logLength()).isEqualTo(1);
        assertThat(f.state.room("old").memberNames()).containsExactly("alice", "bob");
    }
}
