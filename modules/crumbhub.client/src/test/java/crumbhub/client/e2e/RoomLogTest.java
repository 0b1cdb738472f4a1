package crumbhub.client.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.crypto.account.AccountKeyPair;
import crumbhub.crypto.account.RoomStatement;
import crumbhub.crypto.account.RoomStatement.Action;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The room rules a client replays over a verified membership log (docs/crypto.md "Room membership"). */
class RoomLogTest {
    private static final SecureRandom RNG = new SecureRandom();
    private static final AccountKeyPair KEY = AccountKeyPair.generate(AccountKeyPair.FIRST_EPOCH, RNG);

    private final RoomLog log = new RoomLog("ops");

    /** Applies the next statement (signatures are the caller's check, not RoomLog's); true if the rules took it. */
    private boolean next(String actor, Action action, String subject, List<String> members, List<String> invited) {
        var st = RoomStatement.sign(KEY, "ops", log.length, log.head, actor, action, subject, members, invited, 1, RNG);
        boolean applied = log.apply(st).isPresent();
        log.advance(st);
        return applied;
    }

    private boolean next(String actor, Action action, String subject) {
        return next(actor, action, subject, List.of(), List.of());
    }

    @Test
    void onlyTheOwnerInvitesAndRemovesAndOnlyTheInvitedJoin() {
        assertThat(next("alice", Action.CREATE, "")).isTrue();
        assertThat(next("bob", Action.JOIN, "")).as("not invited").isFalse();
        assertThat(next("alice", Action.INVITE, "bob")).isTrue();
        assertThat(next("alice", Action.INVITE, "bob")).as("invited already").isFalse();
        assertThat(next("bob", Action.JOIN, "")).isTrue();
        assertThat(next("bob", Action.INVITE, "mallory")).as("a member is not the owner").isFalse();
        assertThat(next("bob", Action.KICK, "alice")).isFalse();
        assertThat(next("alice", Action.KICK, "alice")).as("the owner leaves, not kicks").isFalse();
        assertThat(next("alice", Action.CREATE, "")).as("a room is created once").isFalse();
        assertThat(log.members).containsExactly("alice", "bob");
        assertThat(log.length).isEqualTo(9);
    }

    @Test
    void ownershipPassesInJoinOrderAndAnInvitationCanBeWithdrawn() {
        next("alice", Action.CREATE, "");
        for (String u : List.of("bob", "carol")) {
            next("alice", Action.INVITE, u);
            next(u, Action.JOIN, "");
        }
        next("alice", Action.INVITE, "dave");
        assertThat(next("alice", Action.KICK, "dave")).isTrue();
        var left = RoomStatement.sign(KEY, "ops", log.length, log.head, "alice", Action.LEAVE, "", List.of(), List.of(), 1, RNG);
        var event = log.apply(left).orElseThrow();
        log.advance(left);
        assertThat(event.newOwner()).isEqualTo("bob");
        assertThat(event.text()).isEqualTo("alice left; bob owns the room now");
        assertThat(log.owner).isEqualTo("bob");
        assertThat(next("bob", Action.KICK, "carol")).isTrue();
        assertThat(log.invited).isEmpty();
        assertThat(log.members).containsExactly("bob");
    }

    @Test
    void aRoomFromBeforeTheLogStartsWithItsSignedMembersAndTheRecordRoundTrips() {
        assertThat(next("alice", Action.CREATE, "", List.of("bob", "carol"), List.of("dave"))).isTrue();
        assertThat(log.members).containsExactly("alice", "bob", "carol");
        assertThat(next("dave", Action.JOIN, "")).isTrue();
        log.announced = 1;
        var again = RoomLog.decode("ops", log.encode());
        assertThat(again.members).containsExactlyElementsOf(log.members);
        assertThat(again.owner).isEqualTo("alice");
        assertThat(again.head).isEqualTo(log.head);
        assertThat(again.length).isEqualTo(2);
        assertThat(again.announced).isEqualTo(1);
    }
}
