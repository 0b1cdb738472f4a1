package crumbhub.client.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.client.ClientException;

import java.nio.charset.StandardCharsets;
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
    void plaintextCodecRoundTripsAndBoundsTheBody() {
        var codec = new PlaintextCodec();
        var sealed = codec.seal(new Target.Room("r"), "héllo 😀");
        assertThat(sealed.alg()).isZero();
        assertThat(new String(sealed.body(), StandardCharsets.UTF_8)).isEqualTo("héllo 😀");
        assertThat(codec.open(new Target.Room("r"), "a", sealed)).isEqualTo(new MessageOpener.Result.Opened("héllo 😀"));
        assertThat(codec.open(new Target.Room("r"), "a", new SealedBody(2, new byte[] {1})))
                .isInstanceOf(MessageOpener.Result.Unreadable.class);
        assertThat(codec.seal(new Target.Room("r"), "x".repeat(SealedBody.MAX_BODY)).body()).hasSize(SealedBody.MAX_BODY);
        assertThatThrownBy(() -> codec.seal(new Target.Room("r"), "é".repeat(SealedBody.MAX_BODY / 2 + 1)))
                .hasMessageContaining("too long");
    }
}
