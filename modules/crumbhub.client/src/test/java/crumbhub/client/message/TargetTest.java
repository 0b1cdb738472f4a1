package crumbhub.client.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.client.ClientException;

import org.junit.jupiter.api.Test;

class TargetTest {
    @Test
    void roomsAndUsersAreCaseFolded() {
        assertThat(Target.parse("#DevOps")).isEqualTo(new Target.Room("devops"));
        assertThat(Target.parse("@Bob")).isEqualTo(new Target.Direct("bob"));
        assertThat(Names.user("@Carol.X")).isEqualTo("carol.x");
        assertThat(Names.room("general")).isEqualTo("general");
    }

    @Test
    void targetNeedsAPrefix() {
        assertThatThrownBy(() -> Target.parse("bob")).isInstanceOf(ClientException.class)
                .hasMessageContaining("#room or @user");
    }

    @Test
    void invalidNamesAreRefusedLocally() {
        assertThatThrownBy(() -> Target.parse("#")).hasMessageContaining("invalid room name");
        assertThatThrownBy(() -> Target.parse("@a b")).hasMessageContaining("invalid user name");
        assertThatThrownBy(() -> Names.user("x".repeat(33))).hasMessageContaining("1 to 32");
        assertThatThrownBy(() -> Names.user("bad\u001bname")).hasMessageNotContaining("\u001b");
    }

    @Test
    void incomingCarriesWhatTheServerDelivered() {
        var id = new crumbhub.wire.MessageId(1, 2);
        var d = new crumbhub.wire.MessageFrame.Deliver(0, crumbhub.wire.TargetKind.DIRECT, "bob", "alice", 3, 9, 10, id, 1,
                new byte[] {7});
        var in = Delivery.of(d);
        assertThat(in.target()).isEqualTo(new Target.Direct("bob"));
        assertThat(in.from()).isEqualTo("alice");
        assertThat(in.fromDevice()).isEqualTo(3);
        assertThat(in.id()).isEqualTo(id);
        assertThat(in.body()).isEqualTo(new SealedBody(1, new byte[] {7}));
        assertThat(new MessageOpener.Result.Opened(id, "secret").toString()).doesNotContain("secret");
    }
}
