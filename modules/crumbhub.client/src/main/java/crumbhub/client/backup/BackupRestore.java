package crumbhub.client.backup;

import crumbhub.client.ClientException;
import crumbhub.client.chat.HistoryRecord;
import crumbhub.client.e2e.BackupRoot;
import crumbhub.client.model.ConversationId;
import crumbhub.crypto.CryptoException;
import crumbhub.wire.BackupFrame;
import crumbhub.wire.Frame;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * One restore of the account history backup ({@link HistoryBackup#restore}): lists the streams,
 * fetches each from where the last restore stopped, opens every batch as exactly the batch the
 * server says it is (docs/crypto.md "History backup"), hands the lines over and remembers how far
 * it got. Fetches go out {@link #WINDOW} at a time. Blocking (network); holds no lock across a request.
 */
final class BackupRestore {
    /**
     * Fetches in flight at once: a reply holds one batch of up to 57 KiB (a frame's 64 KiB), so
     * one request at a time made a restore one round trip per batch (docs/benchmarks.md
     * "Restore"). Eight keep a loopback or LAN link busy and bound what the client holds waiting.
     */
    static final int WINDOW = 8;
    private final HistoryBackup backup;
    private final BackupRoot key;
    private final int deviceId;

    BackupRestore(HistoryBackup backup, BackupRoot key, int deviceId) {
        this.backup = backup;
        this.key = key;
        this.deviceId = deviceId;
    }

    HistoryBackup.Restored run(HistoryBackup.Link link, Consumer<Map<ConversationId, List<HistoryRecord>>> sink) {
        var listing = link.call("history backup list", BackupFrame.BackupList::new, BackupFrame.BackupListReply.class);
        var s = backup.load();
        var problems = new ArrayList<String>();
        int lines = 0;
        int batches = 0;
        for (BackupFrame.Stream st : listing.streams()) {
            if (st.deviceId() == deviceId && st.stream() == s.stream) {
                continue; // this device's own writes
            }
            var k = new BackupState.StreamKey(st.deviceId(), st.stream());
            long from = s.restored.getOrDefault(k, 0L);
            var byConversation = new LinkedHashMap<ConversationId, List<HistoryRecord>>();
            long next = from;
            String device = "device " + Integer.toUnsignedString(st.deviceId());
            while (next < st.batches()) {
                long base = next;
                int window = (int) Math.min(WINDOW, st.batches() - base);
                var requests = new ArrayList<IntFunction<Frame>>(window);
                for (int i = 0; i < window; i++) {
                    long at = base + i;
                    requests.add(id -> new BackupFrame.BackupFetch(id, st.deviceId(), st.stream(), at));
                }
                List<BackupFrame.BackupBatches> replies;
                try {
                    replies = link.callAll("history backup fetch", requests, BackupFrame.BackupBatches.class);
                } catch (ClientException e) {
                    if (e.serverCode().isEmpty()) {
                        throw e;
                    }
                    problems.add("the server listed " + st.batches() + " batches of " + device + "'s history backup"
                            + " but serves none from batch " + base + " (" + e.getMessage() + ")");
                    break;
                }
                boolean stop = false;
                for (int i = 0; i < replies.size() && !stop; i++) {
                    var got = replies.get(i);
                    long at = base + i;
                    if (at < next) {
                        continue; // an earlier reply of this window already carried this batch
                    }
                    if (got.deviceId() != st.deviceId() || got.stream() != st.stream() || got.from() != at
                            || got.blobs().isEmpty()) {
                        problems.add("the server answered for another part of " + device + "'s history backup than"
                                + " asked (batch " + at + "); restored what came before");
                        stop = true;
                        break;
                    }
                    long index = at;
                    for (BackupFrame.Blob b : got.blobs()) {
                        if (index++ < next) {
                            continue;
                        }
                        try {
                            for (var e : BackupBatch.open(key, new BackupBatch.Place(st.deviceId(), st.stream(), next),
                                    b.bytes())) {
                                byConversation.computeIfAbsent(e.conversation(), c -> new ArrayList<>()).add(e.record());
                                lines++;
                            }
                        } catch (CryptoException e) {
                            problems.add("batch " + next + " of " + device + "'s history backup does not open as that"
                                    + " batch of this account: the server altered, moved or replayed it; restored what"
                                    + " came before");
                            stop = true;
                            break;
                        }
                        next++;
                        batches++;
                    }
                }
                if (stop) {
                    break;
                }
            }
            if (next > from) {
                byConversation.values().forEach(l -> l.sort(Comparator.comparing(HistoryRecord::time)));
                sink.accept(byConversation);
                long restoredTo = next;
                backup.withState(st2 -> st2.restored.put(k, restoredTo));
            }
        }
        backup.withState(st2 -> st2.restoredOnce = true);
        return new HistoryBackup.Restored(lines, batches, problems);
    }
}
