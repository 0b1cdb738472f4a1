package crumbhub.client.backup;

import crumbhub.client.chat.HistoryRecord;
import crumbhub.client.model.ConversationId;

import java.util.List;

/**
 * Where a session reports the lines it stored in its local history, so that they reach the account
 * history backup (docs/client.md "History backup"): the chat calls it right after each
 * {@code HistoryStore.append}, with the same arguments, and so can any other command that records
 * history. Called on the recording thread; may block on the home's files, never on the network.
 */
@FunctionalInterface
public interface HistoryTap {
    /** Records nothing. */
    HistoryTap NONE = (conversation, records) -> { };

    void recorded(ConversationId conversation, List<HistoryRecord> records);
}
