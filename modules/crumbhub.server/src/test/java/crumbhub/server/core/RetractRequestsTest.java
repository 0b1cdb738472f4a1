package crumbhub.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.server.domain.RegistrationMode;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.MessageId;
import crumbhub.wire.RetractFrame;
import crumbhub.wire.RoomFrame;
import crumbhub.wire.TargetKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/** RETRACT: a sender takes back what the server still holds of its own message, and only its own. */
class RetractRequestsTest {
    private static void send(Harness.Client from, TargetKind kind, String to, MessageId id, String text) {
        Harness.cast(from.call(r -> new MessageFrame.Send(r, kind, to, id, 0, text.getBytes(StandardCharsets.UTF_8))),
                MessageFrame.SendOk.class);
    }

    private static ErrorCode refusal(Harness.Client from, MessageId id) {
        var reply = Harness.cast(from.call(r -> new RetractFrame.Retract(r, id)), ControlFrame.Error.class);
        return reply.errorCode().orElseThrow();
    }

    @Test
    void theSenderTakesBackAMessageNotDeliveredYetAndNoOneElseCan() throws Exception {
        try (var h = new Harness(true, RegistrationMode.OPEN)) {
            var alice = h.connect().register("alice");
            var mallory = h.connect().register("mallory");
            var bob = h.connect().register("bob"); // not synced: nothing is pushed to it live
            var secret = new MessageId(9, 1);
            var kept = new MessageId(9, 2);
            send(alice, TargetKind.DIRECT, "bob", secret, "deleted later");
            send(alice, TargetKind.DIRECT, "bob", kept, "stays");
            int held = h.onCore(() -> h.core.domain().state().messageCount());

            assertThat(refusal(mallory, secret)).as("another user's message").isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(h.onCore(() -> h.core.domain().state().messageCount())).isEqualTo(held);

            alice.ok(r -> new RetractFrame.Retract(r, secret));
            assertThat(h.onCore(() -> h.core.domain().state().messageCount())).isEqualTo(held - 1);
            assertThat(refusal(alice, secret)).as("nothing left to take back").isEqualTo(ErrorCode.NOT_FOUND);

            var got = new ArrayList<MessageFrame.Deliver>();
            bob.sync(got);
            assertThat(got).extracting(Harness::text).containsExactly("stays");
        }
    }

    @Test
    void aRoomMessageLeavesEveryMembersMailbox() throws Exception {
        try (var h = new Harness(true, RegistrationMode.OPEN)) {
            var alice = h.connect().register("alice");
            var members = new java.util.LinkedHashMap<String, Harness.Client>();
            members.put("bob", h.connect().register("bob"));
            members.put("carol", h.connect().register("carol"));
            alice.ok(r -> new RoomFrame.RoomCreate(r, "ops"));
            members.forEach((u, c) -> {
                alice.ok(r -> new RoomFrame.RoomInvite(r, "ops", u));
                c.ok(r -> new RoomFrame.RoomJoin(r, "ops"));
            });
            var id = new MessageId(3, 3);
            send(alice, TargetKind.ROOM, "ops", id, "oops");
            alice.ok(r -> new RetractFrame.Retract(r, id));
            for (var e : members.entrySet()) {
                var got = new ArrayList<MessageFrame.Deliver>();
                e.getValue().sync(got);
                assertThat(got).as(e.getKey()).isEmpty();
            }
            assertThat(h.onCore(() -> h.core.domain().state().messageCount())).isZero();
        }
    }
}
