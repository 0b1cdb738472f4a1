package crumbhub.client.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.client.format.MessageText;
import crumbhub.client.message.Target;
import crumbhub.client.ops.Operation;
import org.junit.jupiter.api.Test;

class RequestTest {
    private static Request decode(String json) throws Exception {
        return Request.decode(JsonReader.parse(json));
    }

    private static void refused(String json, String code) {
        assertThatThrownBy(() -> decode(json)).isInstanceOfSatisfying(Request.Invalid.class,
                e -> assertThat(e.code).isEqualTo(code));
    }

    @Test
    void decodesEveryOp() throws Exception {
        assertThat(decode("{\"id\":1,\"op\":\"send\",\"to\":\"#Dev\",\"text\":\"hi\"}"))
                .isEqualTo(new Request.Run(new Operation.Send(new Target.Room("dev"), MessageText.text("hi"))));
        assertThat(decode("{\"op\":\"send\",\"to\":\"@bob\",\"text\":\"waves\",\"kind\":\"action\"}"))
                .isEqualTo(new Request.Run(new Operation.Send(new Target.Direct("bob"),
                        new MessageText(MessageText.Kind.ACTION, "waves"))));
        assertThat(decode("{\"op\":\"join\",\"room\":\"#ops\"}")).isEqualTo(new Request.Run(new Operation.JoinRoom("ops")));
        assertThat(decode("{\"op\":\"leave\",\"room\":\"ops\"}")).isEqualTo(new Request.Run(new Operation.LeaveRoom("ops")));
        assertThat(decode("{\"op\":\"invite\",\"room\":\"#ops\",\"user\":\"@Eve\"}")).isEqualTo(new Request.Run(new Operation.Invite("ops", "eve")));
        assertThat(decode("{\"op\":\"kick\",\"room\":\"#ops\",\"user\":\"eve\"}")).isEqualTo(new Request.Run(new Operation.Kick("ops", "eve")));
        assertThat(decode("{\"op\":\"rooms\"}")).isEqualTo(new Request.Run(new Operation.ListRooms()));
        assertThat(decode("{\"op\":\"members\",\"room\":\"#ops\"}")).isEqualTo(new Request.Run(new Operation.ListMembers("ops")));
        assertThat(decode("{\"op\":\"verify\",\"user\":\"bob\",\"confirm\":true}")).isEqualTo(new Request.Run(new Operation.Verify("bob", true)));
        assertThat(decode("{\"op\":\"devices\"}")).isEqualTo(new Request.Run(new Operation.ListDevices()));
        assertThat(decode("{\"op\":\"ping\",\"id\":null}")).isEqualTo(new Request.Ping());
    }

    @Test
    void refusesBadRequestsWithACode() {
        refused("[1]", Request.INVALID);
        refused("{\"id\":1}", Request.INVALID);
        refused("{\"op\":\"frobnicate\"}", Request.UNKNOWN_OP);
        refused("{\"op\":\"send\",\"to\":\"dev\",\"text\":\"x\"}", Request.INVALID);
        refused("{\"op\":\"send\",\"to\":\"#dev\",\"text\":\"\"}", Request.INVALID);
        refused("{\"op\":\"send\",\"to\":\"#dev\",\"text\":5}", Request.INVALID);
        refused("{\"op\":\"send\",\"to\":\"#dev\",\"text\":\"x\",\"kind\":\"shout\"}", Request.INVALID);
        refused("{\"op\":\"send\",\"to\":\"@bob\",\"text\":\"x\",\"kind\":\"topic\"}", Request.INVALID);
        refused("{\"op\":\"join\",\"room\":\"#no spaces\"}", Request.INVALID);
        refused("{\"op\":\"ping\",\"extra\":1}", Request.INVALID);
        refused("{\"op\":\"ping\",\"id\":[1]}", Request.INVALID);
        refused("{\"op\":\"verify\",\"user\":\"bob\",\"confirm\":\"yes\"}", Request.INVALID);
    }

    @Test
    void theIdIsEchoedAsSent() throws Exception {
        assertThat(Request.idOf(JsonReader.parse("{\"id\":\"a\\\"b\"}"))).isEqualTo("\"a\\\"b\"");
        assertThat(Request.idOf(JsonReader.parse("{\"id\":1.50}"))).isEqualTo("1.50");
        assertThat(Request.idOf(JsonReader.parse("{\"op\":\"ping\"}"))).isEqualTo("null");
        assertThat(Request.idOf(JsonReader.parse("[1]"))).isEqualTo("null");
    }
}
