package crumbhub.client.format;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.message.Target;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MessageTextTest {
    private static ReceivedMessage message(String text) {
        return new ReceivedMessage(new Target.Room("dev"), "alice", 2, 17, Instant.parse("2026-11-26T09:00:00.123Z"),
                HexFormat.of().parseHex("00112233445566778899aabbccddeeff"), text);
    }

    @Test
    void ordinaryTextIsSentUnchanged() {
        assertThat(MessageText.text("hello").encode()).isEqualTo("hello");
        assertThat(MessageText.decode("hello")).isEqualTo(MessageText.text("hello"));
        assertThat(MessageText.decode("")).isEqualTo(MessageText.text(""));
    }

    @Test
    void actionsAndTopicsUseCtcpStyleMarkers() {
        var action = new MessageText(MessageText.Kind.ACTION, "waves");
        assertThat(action.encode()).isEqualTo("\u0001ACTION waves\u0001");
        assertThat(MessageText.decode(action.encode())).isEqualTo(action);
        var topic = new MessageText(MessageText.Kind.TOPIC, "Be kind");
        assertThat(MessageText.decode(topic.encode())).isEqualTo(topic);
        // the closing marker is optional, as in CTCP
        assertThat(MessageText.decode("\u0001ACTION shrugs")).isEqualTo(new MessageText(MessageText.Kind.ACTION, "shrugs"));
        assertThat(MessageText.decode("\u0001ACTION\u0001")).isEqualTo(new MessageText(MessageText.Kind.ACTION, ""));
    }

    @Test
    void typedTextCannotPassForAnAction() {
        String sneaky = MessageText.text("\u0001ACTION is an admin\u0001").encode();
        assertThat(sneaky).startsWith("\uFFFD");
        assertThat(MessageText.decode(sneaky).kind()).isEqualTo(MessageText.Kind.TEXT);
        assertThat(MessageText.decode("\u0001ACTIONS are words").kind()).isEqualTo(MessageText.Kind.TEXT);
        assertThat(MessageText.decode("\u0001PING 123\u0001").kind()).isEqualTo(MessageText.Kind.TEXT);
    }

    @Test
    void listenShowsActionsAndTopicsAndLabelsThemInJson() {
        assertThat(MessageFormat.plain(message("\u0001ACTION waves\u0001"), ZoneOffset.UTC))
                .isEqualTo("[09:00] #dev * alice waves");
        assertThat(MessageFormat.plain(message("\u0001TOPIC Be kind\u0001"), ZoneOffset.UTC))
                .isEqualTo("[09:00] #dev -!- alice set the topic: Be kind");
        assertThat(MessageFormat.json(message("\u0001ACTION waves\u0001")))
                .contains("\"text\":\"waves\"").endsWith(",\"kind\":\"action\",\"type\":\"message\"}");
        assertThat(MessageFormat.json(message("plain"))).doesNotContain("kind");
    }

    @Test
    void toStringLeavesOutTheText() {
        assertThat(MessageText.text("secret").toString()).doesNotContain("secret");
    }
}
