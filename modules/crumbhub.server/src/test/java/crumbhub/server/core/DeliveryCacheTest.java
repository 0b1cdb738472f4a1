package crumbhub.server.core;

import static crumbhub.server.core.Harness.text;
import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.server.domain.RegistrationMode;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.RoomFrame;
import crumbhub.wire.TargetKind;
import java.util.ArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which DELIVERs the core keeps for catch-up (Delivery's recent frames): a frame kept is handed
 * out again as the very same object, a frame not kept is encoded anew. The fake peers receive
 * the frame objects themselves, so identity tells which happened.
 */
class DeliveryCacheTest {
    private Harness h;

    @AfterEach
    void close() throws InterruptedException {
        if (h != null) {
            h.close();
        }
    }

    /** alice, bob and carol in room "ops"; bob and carol live. */
    private Harness.Client[] room() {
        h = new Harness(true, RegistrationMode.OPEN);
        var alice = h.connect().register("alice");
        var bob = h.connect().register("bob");
        var carol = h.connect().register("carol");
        alice.ok(id -> new RoomFrame.RoomCreate(id, "ops"));
        for (var member : new Harness.Client[] {bob, carol}) {
            String name = member == bob ? "bob" : "carol";
            alice.ok(id -> new RoomFrame.RoomInvite(id, "ops", name));
            member.ok(id -> new RoomFrame.RoomJoin(id, "ops"));
            member.sync(new ArrayList<>());
        }
        return new Harness.Client[] {alice, bob, carol};
    }

    @Test
    void aPushEveryLiveRecipientTookIsNotKeptForLaterCatchUps() throws Exception {
        var c = room();
        var alice = c[0];
        var bob = c[1];
        var carol = c[2];
        // carol's device stays a member, but no session of hers is connected
        carol.peer.close();
        h.core.disconnected(carol.session);
        alice.send(TargetKind.ROOM, "ops", "hello");
        MessageFrame.Deliver live = bob.peer.next(MessageFrame.Deliver.class);
        var later = h.connect(carol.peer.key[0], carol.peer.host).login("carol", "password-carol");
        assertThat(later.auth.deviceId()).isEqualTo(carol.auth.deviceId());
        var synced = new ArrayList<MessageFrame.Deliver>();
        later.sync(synced);
        assertThat(synced).extracting(Harness::text).contains("hello");
        MessageFrame.Deliver caughtUp = synced.stream().filter(d -> text(d).equals("hello")).findFirst().orElseThrow();
        assertThat(caughtUp.seq()).isEqualTo(live.seq());
        assertThat(caughtUp).as("encoded again: the live push was not kept").isNotSameAs(live);
    }

    @Test
    void aPushACongestedRecipientMissedIsKeptAndReusedForItsCatchUp() throws Exception {
        var c = room();
        var alice = c[0];
        var bob = c[1];
        var carol = c[2];
        carol.peer.congested = true;
        alice.send(TargetKind.ROOM, "ops", "hello");
        MessageFrame.Deliver live = bob.peer.next(MessageFrame.Deliver.class);
        carol.peer.congested = false; // the core re-checks congested sessions every 20 ms
        MessageFrame.Deliver caughtUp = carol.peer.next(MessageFrame.Deliver.class);
        assertThat(text(caughtUp)).isEqualTo("hello");
        assertThat(caughtUp).as("the live push's encoding, kept for carol's catch-up").isSameAs(live);
    }
}
