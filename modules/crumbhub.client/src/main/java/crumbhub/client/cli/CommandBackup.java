package crumbhub.client.cli;

import crumbhub.client.ClientException;
import crumbhub.client.backup.HistoryBackup;
import crumbhub.client.backup.HistoryTap;
import crumbhub.client.chat.HistoryRecord;
import crumbhub.client.e2e.E2eClient;
import crumbhub.client.model.ConversationId;
import crumbhub.client.net.ClientSession;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The history backup of a command that records and then ends (docs/client.md "History backup"):
 * the lines {@code listen} and {@code send} record are kept in memory (no file I/O per message,
 * which would slow a {@code listen} down) and, before the command ends, put into this device's
 * open backup batch. {@code listen} then seals that batch and uploads it over its still open
 * connection ({@link #sealAndUpload}); {@code send} only uploads batches that are
 * already sealed ({@link #uploadSealed}: a batch fills after a few hundred messages), so that a
 * script sending one message at a time makes neither a round trip nor a tiny batch per message;
 * its lines go with the next {@code listen}, {@code chat} or {@code daemon} of this home. What
 * cannot be uploaded (no server, full quota) waits in the home for the next command; the lines of
 * a command killed before it ends (SIGKILL, a crash) stay in the local history only. A backup that
 * fails is a notice: the command's own work is done either way.
 *
 * <p>Runs on the command's thread; blocking.
 */
final class CommandBackup implements HistoryTap {
    private final Context ctx;
    private final E2eClient e2e;
    private final Map<ConversationId, List<HistoryRecord>> pending = new LinkedHashMap<>();

    private CommandBackup(Context ctx, E2eClient e2e) {
        this.ctx = ctx;
        this.e2e = e2e;
    }

    /**
     * Taps the command's history recorder: from now on, what it records also goes to the backup.
     * Does no I/O (the recorder and the backup are opened when first needed).
     */
    static CommandBackup attach(Context ctx, E2eClient e2e) {
        var tap = new CommandBackup(ctx, e2e);
        ctx.tapHistory(tap);
        return tap;
    }

    private HistoryBackup open() {
        return HistoryBackup.open(ctx.home(), e2e, ctx.home().session().deviceId(), ctx.rng, ctx::notice);
    }

    @Override
    public void recorded(ConversationId conversation, List<HistoryRecord> records) {
        pending.computeIfAbsent(conversation, c -> new ArrayList<>()).addAll(records);
    }

    /** Puts the lines recorded so far into the open batch (sealing it into the outbox when it is full). */
    private void record(HistoryBackup backup) {
        pending.forEach((conversation, records) -> {
            try {
                backup.recorded(conversation, records);
            } catch (ClientException e) {
                ctx.notice("the history backup could not record " + conversation.label() + ": " + e.getMessage());
            }
        });
        pending.clear();
    }

    /** {@code listen}: seals what was recorded and uploads it and whatever waits. */
    void sealAndUpload(ClientSession session) {
        HistoryBackup backup = open();
        try {
            record(backup);
            backup.syncNow(BackupCommands.link(session)).problem().ifPresent(ctx::notice);
        } catch (ClientException e) {
            ctx.notice("the history backup: " + e.getMessage());
        } finally {
            backup.close();
        }
    }

    /** {@code send}: uploads the batches already sealed, if any (no round trip when none waits). */
    void uploadSealed(ClientSession session) {
        HistoryBackup backup = open();
        try {
            record(backup);
            backup.upload(BackupCommands.link(session)).problem().ifPresent(ctx::notice);
        } catch (ClientException e) {
            ctx.notice("the history backup waits for the server: " + e.getMessage());
        } finally {
            backup.close();
        }
    }
}
