package crumbhub.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.message.Interaction;
import crumbhub.client.model.ConversationId;
import crumbhub.wire.MessageId;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replies, reactions, edits and deletes in the local history ({@link Interactions}, history records version 3). */
class InteractionsHistoryTest {
    private static final ConversationId GENERAL = ConversationId.room("general");
    private static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");
    private static final MessageId HELLO = new MessageId(1, 1);

    @TempDir
    Path dir;
    private final SecureRandom rng = new SecureRandom();
    private final byte[] key = new byte[32];

    private HistoryStore open() {
        return HistoryStore.open(dir, key.clone(), "server alice", rng, 1000);
    }

    private static HistoryRecord hello() {
        return new HistoryRecord(HistoryRecord.Kind.TEXT, HELLO.toString(), "alice", 1, T0, "hello secret words", false);
    }

    private static Interactions.Verdict decide(HistoryStore store, String from, long n, String text, Interaction what) {
        return Interactions.decide(store, GENERAL, from, 1, n, T0.plusSeconds(n), new MessageId(9, n), text, what);
    }

    @Test
    void aRecordWithoutRefStaysVersion2AndOneWithRefIsVersion3() {
        assertThat(hello().encode()[0]).isEqualTo((byte) 2);
        var reaction = new HistoryRecord(HistoryRecord.Kind.REACTION, "ab", "bob", 2, T0, "+1", false, 1, null,
                HELLO.toString());
        assertThat(reaction.encode()[0]).isEqualTo((byte) 3);
        assertThat(HistoryRecord.decode(reaction.encode())).isEqualTo(reaction);
        assertThat(HistoryRecord.decode(hello().encode())).isEqualTo(hello());
    }

    @Test
    void editsByTheAuthorApplyInOrderAndReactionsCountOncePerUser() {
        try (var store = open()) {
            store.append(GENERAL, List.of(hello()));
            for (var v : List.of(decide(store, "alice", 2, "hello v2", new Interaction.Edit(HELLO)),
                    decide(store, "bob", 3, "+1", new Interaction.React(HELLO, false)),
                    decide(store, "bob", 4, "+1", new Interaction.React(HELLO, false)),
                    decide(store, "carol", 5, "+1", new Interaction.React(HELLO, false)),
                    decide(store, "carol", 6, "+1", new Interaction.React(HELLO, true)),
                    decide(store, "alice", 7, "hello v3", new Interaction.Edit(HELLO)))) {
                Interactions.apply(store, GENERAL, (Interactions.Verdict.Apply) v);
            }
            var shown = Interactions.fold(Interactions.recent(store, GENERAL, 100)).get(HELLO.toString());
            assertThat(shown.text()).isEqualTo("hello v3");
            assertThat(shown.edited()).isTrue();
            assertThat(shown.reactionSummary()).isEqualTo("+1 1");
            assertThat(Interactions.recent(store, GENERAL, 100)).filteredOn(r -> r.kind() == HistoryRecord.Kind.EDIT)
                    .as("earlier versions are kept").extracting(HistoryRecord::text).containsExactly("hello v2", "hello v3");
        }
    }

    @Test
    void anEditOrDeleteNotByTheAuthorIsDroppedAndADeleteOfAnUnknownMessageDoesNothing() {
        try (var store = open()) {
            store.append(GENERAL, List.of(hello()));
            assertThat(decide(store, "mallory", 2, "forged", new Interaction.Edit(HELLO)))
                    .isInstanceOf(Interactions.Verdict.Drop.class);
            assertThat(decide(store, "mallory", 3, "", new Interaction.Delete(HELLO)))
                    .isInstanceOf(Interactions.Verdict.Drop.class);
            assertThat(decide(store, "alice", 4, "fixed", new Interaction.Edit(new MessageId(7, 7))))
                    .as("an edit of a message this device does not have").isInstanceOf(Interactions.Verdict.Drop.class);
            assertThat(decide(store, "alice", 5, "", new Interaction.Delete(new MessageId(7, 7))))
                    .as("a delete of a message taken back before this device fetched it: nothing to do, no warning")
                    .isEqualTo(new Interactions.Verdict.Apply(List.of(), false));
        }
    }

    @Test
    void aDeleteLeavesATombstoneAndTheTextAndItsVersionsLeaveTheFileAndTheIndex() {
        try (var store = open()) {
            store.append(GENERAL, List.of(hello()));
            Interactions.apply(store, GENERAL, (Interactions.Verdict.Apply) decide(store, "alice", 2, "edited secret",
                    new Interaction.Edit(HELLO)));
            assertThat(store.search("secret", Optional.empty(), 10)).hasSize(1);
            Interactions.apply(store, GENERAL, (Interactions.Verdict.Apply) decide(store, "alice", 3, "",
                    new Interaction.Delete(HELLO)));
            assertThat(Interactions.find(store, GENERAL, HELLO.toString()).orElseThrow().kind())
                    .isEqualTo(HistoryRecord.Kind.DELETED);
            assertThat(store.search("secret", Optional.empty(), 10)).isEmpty();
        }
        try (var reopened = open()) {
            var all = reopened.loadAll();
            assertThat(all).hasSize(1);
            assertThat(all.getFirst().records()).extracting(HistoryRecord::text).noneMatch(t -> t.contains("secret"));
        }
        // every record the file holds, not only the newest versions
        byte[] recordKey = crumbhub.crypto.Hkdf.derive(null, key, "CrumbHub history records v1"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), 32);
        try (var walk = java.nio.file.Files.walk(dir)) {
            var hist = walk.filter(p -> p.toString().endsWith(".hist")).toList();
            assertThat(hist).hasSize(1);
            var opened = HistoryFile.open(hist.getFirst(), recordKey, rng, "server alice", label -> hist.getFirst()
                    .getFileName().toString()).orElseThrow();
            opened.file().close();
            assertThat(opened.contents().records()).extracting(HistoryRecord::text).noneMatch(t -> t.contains("secret"));
            assertThat(opened.contents().records()).extracting(HistoryRecord::kind).contains(HistoryRecord.Kind.DELETED);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
