package crumbhub.client.chat;

import crumbhub.client.backup.HistoryTap;
import crumbhub.client.format.MessageText;
import crumbhub.client.format.ReceivedMessage;
import crumbhub.client.model.ConversationId;
import crumbhub.client.message.Target;
import crumbhub.wire.MessageId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code listen}, {@code daemon} and {@code send} write to the account's history: each
 * message received or sent on this device, as the chat writes it (docs/client.md, "History and
 * search"). A message is recorded before it is printed, so a crash in between shows it again and
 * records it again under the same id (one line either way). What is recorded also goes to the
 * {@link HistoryTap} (the account history backup), if one is set.
 *
 * <p>Runs on the caller's thread (the command's, or the daemon's session thread); blocking.
 */
public final class HistoryRecorder implements AutoCloseable {
    private final HistoryStore store;
    private final String me;
    private volatile HistoryTap tap = HistoryTap.NONE;

    /** @param store closed by {@link #close} */
    public HistoryRecorder(HistoryStore store, String me) {
        this.store = store;
        this.me = me;
    }

    /** Sends every line recorded from now on to {@code historyTap} too, right after it is stored. */
    public void tap(HistoryTap historyTap) {
        this.tap = historyTap;
    }

    /** The store, for reading (the {@code history} and {@code search} commands). */
    public HistoryStore store() {
        return store;
    }

    /**
     * A message opened by {@code listen}. Returns null when it was recorded, or the warning for
     * the user when it was dropped: an edit or delete of a message by someone else, or of one this
     * device does not have ({@link Interactions#decide}).
     */
    public String received(ReceivedMessage m) {
        ConversationId where = ConversationId.of(m.conversation());
        if (m.interaction() != null && !(m.interaction() instanceof crumbhub.client.message.Interaction.Reply)) {
            return interaction(where, m.from(), m.fromDevice(), m.seq(), m.time(), MessageId.fromBytes(m.messageId()),
                    m.text(), m.interaction());
        }
        var text = MessageText.decode(m.text());
        String ref = m.interaction() == null ? "" : m.interaction().to().toString();
        append(where, List.of(new HistoryRecord(Lines.recordKind(text.kind()),
                m.messageIdHex(), m.from(), m.seq(), m.time(), text.text(), false, m.fromDevice(), m.received(), ref)));
        return null;
    }

    /** Records a reaction, edit or delete if it may apply; the warning when it is dropped, else null. */
    private String interaction(ConversationId where, String from, long device, long seq, Instant time, MessageId id,
                               String text, crumbhub.client.message.Interaction what) {
        return switch (Interactions.decide(store, where, from, device, seq, time, id, text, what)) {
            case Interactions.Verdict.Apply apply -> {
                Interactions.apply(store, where, apply);
                yield null;
            }
            case Interactions.Verdict.Drop drop -> drop.warning();
        };
    }

    /**
     * A batch the daemon's engine delivered: messages, and a line for each that could not be read.
     * Returns the warnings of interactions that were dropped ({@link #received(ReceivedMessage)}),
     * each with the message that carried it; the caller does not show those messages.
     */
    public Map<IncomingMessage.Message, String> received(List<IncomingMessage> batch) {
        Map<ConversationId, List<HistoryRecord>> byConversation = new LinkedHashMap<>();
        Map<IncomingMessage.Message, String> dropped = new LinkedHashMap<>();
        for (IncomingMessage in : batch) {
            switch (in) {
                case IncomingMessage.Message m when m.interaction() != null
                        && !(m.interaction() instanceof crumbhub.client.message.Interaction.Reply) -> {
                    // in order: what came before in the batch is stored before the interaction is decided
                    byConversation.forEach(this::append);
                    byConversation.clear();
                    String warning = interaction(Lines.conversation(m.conversation()), m.from(), m.device(), m.seq(),
                            m.time(), m.id(), m.text().text(), m.interaction());
                    if (warning != null) {
                        dropped.put(m, warning);
                    }
                }
                case IncomingMessage.Message m -> byConversation.computeIfAbsent(Lines.conversation(m.conversation()),
                        k -> new ArrayList<>()).add(Lines.received(m));
                case IncomingMessage.Unreadable u -> byConversation.computeIfAbsent(
                        Lines.conversation(u.conversation()), k -> new ArrayList<>()).add(Lines.unreadable(u));
                // a membership change is a notice line of its room, as the chat keeps it
                case IncomingMessage.Membership m -> byConversation.computeIfAbsent(Lines.conversation(m.conversation()),
                        k -> new ArrayList<>()).add(Lines.local(HistoryRecord.Kind.NOTICE, "m-" + m.event().id(),
                        m.event().time(), m.event().text()));
            }
        }
        byConversation.forEach(this::append);
        return dropped;
    }

    /** The user this history is of. */
    public String me() {
        return me;
    }

    /**
     * A message the server stored (the daemon's {@code sent}); a reply, reaction, edit or delete as
     * {@link Interactions#recordSent} keeps it. Returns a warning when that was not recorded, else null.
     */
    public String sent(OutgoingMessage message, long seq, Instant time) {
        if (message.interaction() != null) {
            return Interactions.recordSent(store, Lines.conversation(message.target()), me, seq, time, message.id(),
                    message.text().text(), message.interaction());
        }
        append(Lines.conversation(message.target()), List.of(Lines.pending(message, me).sent(seq, time)));
        return null;
    }

    /** A message {@code send} delivered: the text exactly as sent. */
    public void sent(Target to, MessageId id, String text, Instant created, long seq, Instant time) {
        var message = new OutgoingMessage(id, to, MessageText.decode(text), created);
        sent(message, seq, time);
    }

    private void append(ConversationId conversation, List<HistoryRecord> records) {
        store.append(conversation, records);
        tap.recorded(conversation, records);
    }

    @Override
    public void close() {
        store.close();
    }
}
