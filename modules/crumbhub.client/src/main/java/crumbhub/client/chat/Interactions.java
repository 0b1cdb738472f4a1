package crumbhub.client.chat;

import crumbhub.client.ClientException;
import crumbhub.client.message.Interaction;
import crumbhub.client.message.Target;
import crumbhub.client.model.ConversationId;
import crumbhub.wire.MessageId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Replies, reactions, edits and deletes in the account's history (docs/client.md "Replies,
 * reactions, edits and deletes"): where the message an interaction refers to is, whether an
 * interaction that arrived may apply (only the author edits or deletes), and the records that keep
 * it. Used by {@code listen}, the daemon, the chat and the commands that send interactions, each on
 * its own thread with its own {@link HistoryStore}; blocking file I/O.
 *
 * <p>Records: a reply is a message record whose {@code ref} is the message it answers; a reaction
 * a {@link HistoryRecord.Kind#REACTION} (or {@code UNREACTION}) record of its own id; an edit an
 * {@link HistoryRecord.Kind#EDIT} record of its own id, so the earlier versions stay; a delete
 * replaces the message's record with a {@link HistoryRecord.Kind#DELETED} tombstone of the same
 * id, then rewrites the conversation's file without the message's text and versions, which also
 * takes them out of the search index. The backup uploads what is appended from then on, so it gets
 * the tombstone, never the text again.
 */
public final class Interactions {
    private Interactions() {
    }

    /** A message found in the history, with the conversation it belongs to. */
    public record Located(ConversationId conversation, HistoryRecord record) {
    }

    /** Records of a message, its versions and reactions: what a delete removes or an edit refers to. */
    private static boolean isOriginal(HistoryRecord r) {
        return r.isMessage() || r.kind() == HistoryRecord.Kind.DELETED;
    }

    /**
     * The message {@code id} (hex) in the history of {@code conversation}, newest version; empty
     * if this device does not have it. Reads the file backwards from its end.
     */
    public static Optional<HistoryRecord> find(HistoryStore store, ConversationId conversation, String id) {
        var page = store.page(conversation, Long.MAX_VALUE, 1, r -> r.id().equals(id) && isOriginal(r));
        return page.records().stream().findFirst();
    }

    /** The message {@code id} in any conversation of this account's history (the commands that name a message by its id). */
    public static Optional<Located> locate(HistoryStore store, MessageId id) {
        String hex = id.toString();
        for (ConversationId c : store.conversations()) {
            var found = find(store, c, hex);
            if (found.isPresent()) {
                return Optional.of(new Located(c, found.get()));
            }
        }
        return Optional.empty();
    }

    /**
     * The conversation to send interaction {@code what} to, or why not (a sentence, as a usage
     * error): the conversation of the message it refers to in this device's history, which for an
     * edit or delete must be {@code me}'s own and not deleted. A reply with a conversation given
     * ({@code given}) may answer a message this device does not have.
     */
    public static Target resolve(HistoryStore store, String me, Optional<Target> given, Interaction what) {
        MessageId to = what.to();
        Optional<Located> found = locate(store, to);
        if (found.isEmpty()) {
            if (given.isPresent() && what instanceof Interaction.Reply) {
                return given.get();
            }
            throw ClientException.usage("message " + to + " is not in this device's history (see history --json for"
                    + " the ids)");
        }
        Target where = found.get().conversation().target();
        if (given.isPresent() && !given.get().equals(where)) {
            throw ClientException.usage("message " + to + " is in " + where.display() + ", not in "
                    + given.get().display());
        }
        HistoryRecord original = found.get().record();
        if (original.kind() == HistoryRecord.Kind.DELETED) {
            throw ClientException.usage("message " + to + " was deleted");
        }
        boolean authorOnly = what instanceof Interaction.Edit || what instanceof Interaction.Delete;
        if (authorOnly && !original.from().equals(me)) {
            throw ClientException.refused("only the author edits or deletes a message: " + to + " is "
                    + original.from() + "'s");
        }
        return where;
    }

    /**
     * Records an interaction this user sent (the server stored it): a reply as a message line, the
     * others as {@link #decide} and {@link #apply} keep them. Returns a warning when it was not
     * recorded (the message went away meanwhile), else null.
     */
    public static String recordSent(HistoryStore store, ConversationId where, String me, long seq, Instant time,
                                    MessageId id, String text, Interaction what) {
        if (what instanceof Interaction.Reply) {
            store.append(where, List.of(new HistoryRecord(HistoryRecord.Kind.TEXT, id.toString(), me, seq, time, text,
                    false, 0, null, what.to().toString())));
            return null;
        }
        return switch (decide(store, where, me, 0, seq, time, id, text, what)) {
            case Verdict.Apply apply -> {
                apply(store, where, apply);
                yield null;
            }
            case Verdict.Drop drop -> drop.warning();
        };
    }

    /**
     * What to do with an interaction that arrived: the records to append ({@link Apply}), or a
     * warning for the user and nothing stored ({@link Drop}).
     */
    public sealed interface Verdict {
        record Apply(List<HistoryRecord> records, boolean forget) implements Verdict {
        }

        record Drop(String warning) implements Verdict {
        }
    }

    /**
     * Decides about the interaction {@code what} in {@code conversation}: an edit or a delete applies
     * only when this device has the message and {@code from} wrote it; anything else applies.
     *
     * @param id   the interaction's own message id
     * @param text its text (reply or edit text, the emoji, empty for a delete)
     */
    public static Verdict decide(HistoryStore store, ConversationId conversation, String from, long device, long seq,
                                 Instant time, MessageId id, String text, Interaction what) {
        String to = what.to().toString();
        return switch (what) {
            case Interaction.Reply r -> new Verdict.Apply(List.of(new HistoryRecord(HistoryRecord.Kind.TEXT,
                    id.toString(), from, seq, time, text, false, device, null, to)), false);
            case Interaction.React r -> new Verdict.Apply(List.of(new HistoryRecord(r.remove()
                    ? HistoryRecord.Kind.UNREACTION : HistoryRecord.Kind.REACTION, id.toString(), from, seq, time, text,
                    false, device, null, to)), false);
            case Interaction.Edit e -> authorOnly(store, conversation, from, to, "an edit", original -> {
                if (original.kind() == HistoryRecord.Kind.DELETED) {
                    return new Verdict.Drop("an edit from " + from + " of message " + to + ", which was deleted (dropped)");
                }
                return new Verdict.Apply(List.of(new HistoryRecord(HistoryRecord.Kind.EDIT, id.toString(), from, seq,
                        time, text, false, device, null, to)), false);
            });
            case Interaction.Delete d -> authorOnly(store, conversation, from, to, "a delete", original ->
                    new Verdict.Apply(List.of(new HistoryRecord(HistoryRecord.Kind.DELETED, original.id(),
                            original.from(), original.seq(), original.time(), "", false, original.device(),
                            original.received(), id.toString())), true));
        };
    }

    private static Verdict authorOnly(HistoryStore store, ConversationId conversation, String from, String to,
                                      String what, java.util.function.Function<HistoryRecord, Verdict> then) {
        Optional<HistoryRecord> original = find(store, conversation, to);
        if (original.isEmpty() && what.equals("a delete")) {
            // nothing here to delete: the author took the message back from the server before this
            // device fetched it (RETRACT, docs/protocol.md), so this is the usual case, not an attack
            return new Verdict.Apply(List.of(), false);
        }
        if (original.isEmpty()) {
            return new Verdict.Drop(what + " from " + from + " in " + conversation.label() + " of message " + to
                    + ", which this device does not have (dropped)");
        }
        if (!original.get().from().equals(from)) {
            return new Verdict.Drop(what + " from " + from + " in " + conversation.label() + " of a message by "
                    + original.get().from() + ": only the author edits or deletes a message (dropped)");
        }
        return then.apply(original.get());
    }

    /**
     * Appends what {@code verdict} keeps; for a delete, then rewrites the conversation without the
     * message's earlier text and versions (and so out of the search index).
     */
    public static void apply(HistoryStore store, ConversationId conversation, Verdict.Apply verdict) {
        store.append(conversation, verdict.records());
        if (verdict.forget() && !verdict.records().isEmpty()) {
            String deleted = verdict.records().getFirst().id();
            store.rewrite(conversation, r -> r.kind() == HistoryRecord.Kind.EDIT && r.ref().equals(deleted));
        }
    }

    /**
     * A message as it stands after its interactions: its latest text, whether it was edited or
     * deleted, and the reactions to it (emoji to the users who reacted, in order of arrival).
     */
    public record Shown(HistoryRecord message, String text, boolean edited, boolean deleted,
                        Map<String, Set<String>> reactions) {
        /** {@code 👍 2  ❤ 1}: each emoji and how many users reacted with it; empty when none. */
        public String reactionSummary() {
            var b = new StringBuilder();
            reactions.forEach((emoji, users) -> {
                if (!users.isEmpty()) {
                    b.append(b.isEmpty() ? "" : "  ").append(emoji).append(' ').append(users.size());
                }
            });
            return b.toString();
        }
    }

    /**
     * Folds a conversation's records (time order) into its messages as they stand: edits by the
     * author apply in order, reactions count once per user and emoji, a tombstone hides the text.
     * Edits by anyone else are ignored here too, whatever the file holds.
     */
    public static Map<String, Shown> fold(List<HistoryRecord> records) {
        var out = new LinkedHashMap<String, Shown>();
        for (HistoryRecord r : records) {
            if (isOriginal(r)) {
                out.put(r.id(), new Shown(r, r.text(), false, r.kind() == HistoryRecord.Kind.DELETED,
                        new LinkedHashMap<>()));
            }
        }
        for (HistoryRecord r : records) {
            Shown s = r.ref().isEmpty() ? null : out.get(r.ref());
            if (s == null) {
                continue;
            }
            switch (r.kind()) {
                case EDIT -> {
                    if (!s.deleted() && s.message().from().equals(r.from())) {
                        out.put(r.ref(), new Shown(s.message(), r.text(), true, false, s.reactions()));
                    }
                }
                case REACTION -> s.reactions().computeIfAbsent(r.text(), k -> new LinkedHashSet<>()).add(r.from());
                case UNREACTION -> {
                    Set<String> users = s.reactions().get(r.text());
                    if (users != null) {
                        users.remove(r.from());
                    }
                }
                default -> { }
            }
        }
        return out;
    }

    /** The records of a conversation that {@link #fold} needs, newest {@code count} lines. */
    public static List<HistoryRecord> recent(HistoryStore store, ConversationId conversation, int count) {
        return new ArrayList<>(store.page(conversation, Long.MAX_VALUE, count, r -> true).records());
    }
}
