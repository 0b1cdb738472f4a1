package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.e2e.History.Outcome;
import crumbhub.e2e.History.Receipt;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules of {@link History} on hand-made histories: each kind of wrong delivery is caught. */
class HistoryTest {
    private final History h = new History(List.of("alice", "bob", "carol"));

    private History.Send acked(String from, int index, String to) {
        History.Send s = h.send(from, index, to);
        s.outcome = Outcome.ACKED;
        return s;
    }

    private void shown(String user, int life, History.Send s) {
        String room = s.to.startsWith("#") ? s.to : "@" + s.from;
        h.received(new Receipt(user, life, room, s.from, s.text));
    }

    @Test
    void aCompleteHistoryHasNoViolations() {
        var a0 = acked("alice", 0, "#r");
        var a1 = acked("alice", 1, "@bob");
        var unknown = h.send("alice", 2, "#r");
        unknown.outcome = Outcome.UNKNOWN;
        shown("bob", 1, a0);
        shown("carol", 1, a0);
        shown("bob", 2, a1);
        shown("carol", 1, unknown);
        assertThat(h.missing()).isEmpty();
        assertThat(h.violations()).isEmpty();
    }

    @Test
    void anAcknowledgedMessageNotShownToOneRecipientIsLost() {
        var a0 = acked("alice", 0, "#r");
        shown("bob", 1, a0);
        assertThat(h.missing()).containsExactly("carol <- alice 0 #r");
        assertThat(h.violations()).singleElement().asString().startsWith("acknowledged but never shown");
    }

    @Test
    void aMessageShownTwiceInOneLifeIsADuplicate() {
        var a0 = acked("alice", 0, "@bob");
        shown("bob", 1, a0);
        shown("bob", 1, a0);
        assertThat(h.violations()).singleElement().asString().contains("bob was shown a message again");
    }

    @Test
    void aKilledClientsLastBatchShownAgainIsARedeliveryButAnOlderMessageIsADuplicate() {
        var a0 = acked("alice", 0, "@bob");
        var a1 = acked("alice", 1, "@bob");
        var a2 = acked("alice", 2, "@bob");
        shown("bob", 1, a0);
        shown("bob", 1, a1);
        shown("bob", 1, a2);
        // life 1 killed after printing a1 and a2 but before storing its position
        shown("bob", 2, a1);
        shown("bob", 2, a2);
        assertThat(h.violations()).isEmpty();
        assertThat(h.redelivered()).hasSize(2);

        var a3 = acked("alice", 3, "@bob");
        shown("bob", 2, a3);
        shown("bob", 3, a0); // a0 was stored as shown long before: a real duplicate
        assertThat(h.violations()).singleElement().asString().contains("bob was shown a message again");
    }

    @Test
    void messagesOfOneSenderOutOfOrderInAConversationAreCaught() {
        var a0 = acked("alice", 0, "#r");
        var a1 = acked("alice", 1, "#r");
        var dm = acked("alice", 2, "@bob");
        shown("bob", 1, dm);
        shown("bob", 1, a1);
        shown("bob", 1, a0);
        shown("carol", 1, a0);
        shown("carol", 1, a1);
        // the direct message before the room messages is no violation: another conversation
        assertThat(h.violations()).containsExactly("bob got alice's messages out of order in #r: 1 before 0");
    }

    @Test
    void refusedPhantomAndMisdirectedMessagesAreCaught() {
        var refused = h.send("alice", 0, "#r");
        refused.outcome = Outcome.REFUSED;
        shown("bob", 1, refused);
        h.received(new Receipt("bob", 1, "#r", "alice", "never sent"));
        var toCarol = acked("alice", 1, "@carol");
        shown("carol", 1, toCarol);
        shown("bob", 1, toCarol);
        h.received(new Receipt("carol", 1, "@bob", "bob", toCarol.text));
        assertThat(h.violations()).hasSize(5)
                .anyMatch(v -> v.startsWith("bob was shown a message that was REFUSED"))
                .anyMatch(v -> v.startsWith("bob was shown a message nobody sent"))
                .anyMatch(v -> v.startsWith("bob was shown a message not meant for it"))
                .anyMatch(v -> v.startsWith("carol was shown a message not meant for it"))
                .anyMatch(v -> v.startsWith("carol was shown a message again"));
    }
}
