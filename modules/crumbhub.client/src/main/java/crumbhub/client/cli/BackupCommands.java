package crumbhub.client.cli;

import crumbhub.client.ClientException;
import crumbhub.client.backup.HistoryBackup;
import crumbhub.client.chat.HistoryRecord;
import crumbhub.client.chat.HistoryStore;
import crumbhub.client.e2e.E2eClient;
import crumbhub.client.home.Home;
import crumbhub.client.home.SessionRecord;
import crumbhub.client.model.ConversationId;
import crumbhub.client.net.ClientSession;
import crumbhub.crypto.Bytes;
import crumbhub.wire.Frame;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * {@code backup status | restore | delete | on TARGET | off TARGET} (TARGET {@code #room}, {@code @user} or {@code all}): the account history backup
 * (docs/client.md "History backup"), and the restore that {@code login --recovery-code-stdin} runs.
 */
final class BackupCommands {
    private BackupCommands() {}

    static int status(Context ctx) {
        var e2e = ctx.e2e();
        try (var s = Sessions.resume(ctx, e2e::onPush)) {
            e2e.attach(s.session());
            var backup = open(ctx, e2e);
            var st = backup.status(link(s.session()));
            ctx.println("history backup on this device: " + (!st.approved() ? "none (this device is not approved yet)"
                    : st.enabled() ? "on" : "off (for every conversation)"));
            ctx.println("not kept: " + (st.excluded().isEmpty() ? "(none)" : String.join(" ", st.excluded())));
            ctx.println("waiting to upload: " + st.pendingBatches() + " batches");
            ctx.println("on the server: " + st.streams() + " streams, " + st.usedBytes() + " of " + st.quotaBytes()
                    + " bytes");
            return 0;
        }
    }

    static int restore(Context ctx) {
        var e2e = ctx.e2e();
        try (var s = Sessions.resume(ctx, e2e::onPush)) {
            e2e.attach(s.session());
            e2e.maintain();
            restoreInto(ctx, ctx.home(), s.record(), e2e, s.session());
            return 0;
        }
    }

    /** Restores the backup into the home's history and says what it did. Blocking. */
    static void restoreInto(Context ctx, Home home, SessionRecord record, E2eClient e2e, ClientSession session) {
        var backup = open(ctx, e2e);
        try (HistoryStore history = openHistory(ctx, home, record)) {
            HistoryBackup.Restored r = backup.restore(link(session),
                    (Map<ConversationId, List<HistoryRecord>> lines) -> lines.forEach(history::append));
            ctx.println("restored " + r.lines() + " lines of history (" + r.batches() + " batches) from the account's"
                    + " backup");
            r.problems().forEach(p -> ctx.notice("WARNING: " + p));
        } finally {
            backup.close();
        }
    }

    static int delete(Context ctx) {
        var e2e = ctx.e2e();
        try (var s = Sessions.resume(ctx, e2e::onPush)) {
            e2e.attach(s.session());
            open(ctx, e2e).delete(link(s.session()));
            ctx.println("deleted the account's history backup on the server (every device's); local history is kept");
            return 0;
        }
    }

    static int on(Context ctx) {
        return keep(ctx, true);
    }

    static int off(Context ctx) {
        return keep(ctx, false);
    }

    private static int keep(Context ctx, boolean on) {
        String arg = ctx.command.positional(0);
        Optional<ConversationId> target = arg.equals("all") ? Optional.empty()
                : Optional.of(ConversationId.parse(arg).filter(c -> !c.equals(ConversationId.STATUS))
                .orElseThrow(() -> ClientException.usage("TARGET must be #room, @user or all, got " + arg)));
        var e2e = ctx.e2e();
        open(ctx, e2e).keep(target, on);
        String what = target.map(ConversationId::label).orElse("every conversation");
        ctx.println(on ? "keeping the history of " + what + " in the account's backup"
                : "not keeping the history of " + what + " in the account's backup from now on (lines already in it"
                        + " stay until 'backup delete')");
        return 0;
    }

    private static HistoryBackup open(Context ctx, E2eClient e2e) {
        var record = ctx.home().session();
        return HistoryBackup.open(ctx.home(), e2e, record.deviceId(), ctx.rng, ctx::notice);
    }

    static HistoryBackup.Link link(ClientSession session) {
        return new HistoryBackup.Link() {
            @Override
            public <T extends Frame> T call(String what, IntFunction<Frame> request, Class<T> expected) {
                return session.call(what, request, expected);
            }

            @Override
            public <T extends Frame> java.util.List<T> callAll(String what, java.util.List<IntFunction<Frame>> requests,
                                                              Class<T> expected) {
                return session.callAll(what, requests, expected);
            }
        };
    }

    static HistoryStore openHistory(Context ctx, Home home, SessionRecord record) {
        byte[] key = home.historyKey();
        try {
            return HistoryStore.open(home.historyDir(), key, record.server().key() + " " + record.user(), ctx.rng,
                    HistoryStore.DEFAULT_LIMIT);
        } finally {
            Bytes.zero(key);
        }
    }
}
