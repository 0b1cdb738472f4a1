package crumbhub.client.format;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.message.Target;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MessageFormatTest {
    private static final byte[] ID = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
    private static final Instant T = Instant.parse("2026-11-26T09:00:00.123Z");

    private static ReceivedMessage message(Target conversation, String from, String text) {
        return new ReceivedMessage(conversation, from, 2, 17, T, ID, text);
    }

    @Test
    void plainLineHasTimeConversationSenderAndText() {
        assertThat(MessageFormat.plain(message(new Target.Room("dev"), "alice", "hi all"), ZoneOffset.UTC))
                .isEqualTo("[09:00] #dev <alice> hi all");
        assertThat(MessageFormat.plain(message(new Target.Direct("bob"), "bob", "psst"), ZoneOffset.ofHours(2)))
                .isEqualTo("[11:00] @bob <bob> psst");
    }

    @Test
    void plainLineNeutralisesTerminalEscapes() {
        String line = MessageFormat.plain(message(new Target.Room("dev"), "eve", "a\u001b[2Jb\u0007c\u202ed\r"),
                ZoneOffset.UTC);
        assertThat(line).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u202e")
                .doesNotContain("\r").endsWith("a\uFFFD[2Jb\uFFFDc\uFFFDd\uFFFD");
    }

    @Test
    void plainMultiLineTextIsIndented() {
        assertThat(MessageFormat.plain(message(new Target.Room("dev"), "a", "one\ntwo\tx"), ZoneOffset.UTC))
                .isEqualTo("[09:00] #dev <a> one\n    two x");
    }

    @Test
    void jsonHasTheContractFields() {
        var json = MessageFormat.json(message(new Target.Room("dev"), "alice", "say \"hi\"\n"));
        assertThat(json).isEqualTo("{\"room\":\"#dev\",\"from\":\"alice\",\"text\":\"say \\\"hi\\\"\\n\","
                + "\"id\":\"00112233445566778899aabbccddeeff\",\"ts\":\"2026-11-26T09:00:00.123Z\","
                + "\"seq\":17,\"device\":2,\"type\":\"message\"}");
    }

    @Test
    void eachInteractionIsItsOwnTypeNamingTheMessageItRefersTo() {
        var to = new crumbhub.wire.MessageId(1, 2);
        String ref = to.toString();
        assertThat(MessageFormat.json(with("me too", new crumbhub.client.message.Interaction.Reply(to))))
                .contains("\"text\":\"me too\"").contains("\"reply_to\":\"" + ref + "\"").endsWith("\"type\":\"message\"}");
        assertThat(MessageFormat.json(with("\uD83D\uDC4D", new crumbhub.client.message.Interaction.React(to, false))))
                .contains("\"ref\":\"" + ref + "\",\"emoji\":\"\uD83D\uDC4D\",\"removed\":false")
                .endsWith("\"type\":\"reaction\"}");
        assertThat(MessageFormat.json(with("fixed", new crumbhub.client.message.Interaction.Edit(to))))
                .contains("\"text\":\"fixed\"").contains("\"ref\":\"" + ref + "\"").endsWith("\"type\":\"edit\"}");
        assertThat(MessageFormat.json(with("", new crumbhub.client.message.Interaction.Delete(to))))
                .doesNotContain("\"text\"").contains("\"ref\":\"" + ref + "\"").endsWith("\"type\":\"delete\"}");
        assertThat(MessageFormat.plain(with("", new crumbhub.client.message.Interaction.Delete(to)), java.time.ZoneOffset.UTC))
                .isEqualTo("[09:00] #dev * alice deleted " + ref);
    }

    private static ReceivedMessage with(String text, crumbhub.client.message.Interaction what) {
        var m = message(new Target.Room("dev"), "alice", text);
        return new ReceivedMessage(m.conversation(), m.from(), m.fromDevice(), m.seq(), m.time(), m.messageId(), text,
                null, what);
    }

    @Test
    void timestampsAlwaysHaveMilliseconds() {
        assertThat(MessageFormat.isoUtc(Instant.parse("2026-01-02T03:04:05Z"))).isEqualTo("2026-01-02T03:04:05.000Z");
    }

    @Test
    void directConversationIsTheOtherUser() {
        // bob wrote to me (alice): the conversation is @bob
        assertThat(ReceivedMessage.conversationOf(new Target.Direct("alice"), "bob", "alice"))
                .isEqualTo(new Target.Direct("bob"));
        // I wrote to bob from another of my devices: still @bob
        assertThat(ReceivedMessage.conversationOf(new Target.Direct("bob"), "alice", "alice"))
                .isEqualTo(new Target.Direct("bob"));
        assertThat(ReceivedMessage.conversationOf(new Target.Room("dev"), "bob", "alice"))
                .isEqualTo(new Target.Room("dev"));
    }

    @Test
    void toStringLeavesOutTheText() {
        assertThat(message(new Target.Room("dev"), "a", "secret words").toString()).doesNotContain("secret");
    }
}
