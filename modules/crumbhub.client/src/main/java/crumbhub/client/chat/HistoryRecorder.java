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

    /** A message opened by {@code listen}. */
    public void received(ReceivedMessage m) {
        var text = MessageText.decode(m.text());
        append(ConversationId.of(m.conversation()), List.of(new HistoryRecord(Lines.recordKind(text.kind()),
                m.messageIdHex(), m.from(), m.seq(), m.time(), text.text(), false, m.fromDevice(), m.received())));
    }

    /** A batch the daemon's engine delivered: messages, and a line for each that could not be read. */
    public void received(List<IncomingMessage> batch) {
        Map<ConversationId, List<HistoryRecord>> byConversation = new LinkedHashMap<>();
        for (IncomingMessage in : batch) {
            switch (in) {
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
    }

    /** A message the server stored (the daemon's {@code sent}). */
    public void sent(OutgoingMessage message, long seq, Instant time) {
        append(Lines.conversation(message.target()), List.of(Lines.pending(message, me).sent(seq, time)));
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
