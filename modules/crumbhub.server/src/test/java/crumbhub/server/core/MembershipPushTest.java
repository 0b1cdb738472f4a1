package crumbhub.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.server.domain.RegistrationMode;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.Frame;
import crumbhub.wire.MembershipFrame;
import crumbhub.wire.MembershipFrame.MembershipChanged;
import crumbhub.wire.RoomFrame;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** MEMBERSHIP_CHANGED: the server pushes invitations, joins, leaves and kicks to the devices they concern. */
class MembershipPushTest {
    /**
     * Runs one request of {@code actor}, then returns what each of {@code all} was pushed; the
     * actor's reply is checked to be {@code ok} (or not).
     */
    private static Map<String, List<MembershipChanged>> act(Harness.Client actor, IntFunction<Frame> request,
                                                            boolean ok, Map<String, Harness.Client> all) {
        int id = actor.request(request);
        var out = new LinkedHashMap<String, List<MembershipChanged>>();
        boolean replied = false;
        for (var e : all.entrySet()) {
            var pushed = new ArrayList<MembershipChanged>();
            for (Frame f : e.getValue().peer.drain()) {
                if (f.requestId() == id && e.getValue() == actor) {
                    assertThat(f instanceof ControlFrame.Ok).as(f.toString()).isEqualTo(ok);
                    replied = true;
                }
            }
            Frame m;
            while ((m = e.getValue().peer.membership.poll()) != null) {
                pushed.add((MembershipChanged) m);
            }
            out.put(e.getKey(), pushed);
        }
        assertThat(replied).as("the request was answered").isTrue();
        return out;
    }

    @Test
    void everyMemberAndTheUserConcernedArePushedEachChangeAndOthersNothing() throws Exception {
        try (var h = new Harness(true, RegistrationMode.OPEN)) {
            var all = new LinkedHashMap<String, Harness.Client>();
            for (String name : List.of("alice", "bob", "carol")) {
                var c = h.connect().register(name);
                c.sync(new ArrayList<>());
                all.put(name, c);
            }
            var alice = all.get("alice");
            var bob = all.get("bob");
            var created = act(alice, id -> new RoomFrame.RoomCreate(id, "general"), true, all);
            assertThat(created.values()).as("creating a room changes nobody else's membership").allMatch(List::isEmpty);

            var invited = act(alice, id -> new RoomFrame.RoomInvite(id, "general", "bob"), true, all);
            var invite = new MembershipChanged(0, "general", MembershipFrame.INVITE, "bob", "alice");
            assertThat(invited.get("bob")).containsExactly(invite);
            assertThat(invited.get("alice")).containsExactly(invite);
            assertThat(invited.get("carol")).isEmpty();

            var joined = act(bob, id -> new RoomFrame.RoomJoin(id, "general"), true, all);
            var join = new MembershipChanged(0, "general", MembershipFrame.JOIN, "bob", "bob");
            assertThat(joined.get("alice")).containsExactly(join);
            assertThat(joined.get("bob")).containsExactly(join);

            var kicked = act(alice, id -> new RoomFrame.RoomKick(id, "general", "bob"), true, all);
            var kick = new MembershipChanged(0, "general", MembershipFrame.KICK, "bob", "alice");
            assertThat(kicked.get("bob")).as("the kicked user hears of it").containsExactly(kick);
            assertThat(kicked.get("alice")).containsExactly(kick);
            assertThat(kicked.get("carol")).as("not in the room: told nothing").isEmpty();

            var refused = act(bob, id -> new RoomFrame.RoomJoin(id, "general"), false, all);
            assertThat(refused.values()).as("a refused request pushes nothing").allMatch(List::isEmpty);
        }
    }
}
