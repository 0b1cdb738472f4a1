package crumbhub.client.cli;

import crumbhub.client.ClientException;
import crumbhub.client.chat.HistoryRecord;
import crumbhub.client.chat.HistoryStore;
import crumbhub.client.format.MessageFormat;
import crumbhub.client.format.MessageText;
import crumbhub.client.format.ReceivedMessage;
import crumbhub.client.message.Target;
import crumbhub.client.model.ConversationId;

import java.util.HexFormat;
import java.util.Optional;

/**
 * {@code history TARGET} and {@code search TEXT...}: read the account's encrypted history on this
 * device (docs/client.md, "History and search"); no connection. Each message is printed as
 * {@code listen} prints it, with {@code --json} the same object ({@link MessageFormat}).
 */
final class HistoryCommands {
    /** Lines when no {@code --limit} is given (the contract's default). */
    static final int DEFAULT_LIMIT = 50;
    /** Largest {@code --limit}: as many lines as a conversation keeps. */
    static final int MAX_LIMIT = HistoryStore.DEFAULT_LIMIT;

    private HistoryCommands() {
    }

    static int history(Context ctx) {
        Target target = Target.parse(ctx.command.positional(0));
        int limit = limit(ctx);
        HistoryStore store = ctx.history();
        // edits are read with the messages, so each message shows its author's latest text
        var page = store.page(ConversationId.of(target), Long.MAX_VALUE, limit, r -> r.isMessage() && !r.pending()
                || r.kind() == HistoryRecord.Kind.EDIT);
        page.damage().ifPresent(d -> ctx.notice("the history of " + target.display() + " is damaged (" + d
                + "); the lines that could be read are shown"));
        var shown = crumbhub.client.chat.Interactions.fold(page.records());
        for (HistoryRecord r : page.records()) {
            if (r.isMessage()) {
                var s = shown.get(r.id());
                print(ctx, target, s == null ? r : withText(r, s.text()), s != null && s.edited());
            }
        }
        return 0;
    }

    static int search(Context ctx) {
        String text = ctx.command.rest(0);
        if (text.isBlank()) {
            throw ClientException.usage("search: the text is empty");
        }
        Optional<ConversationId> in = ctx.command.value("in").map(Target::parse).map(ConversationId::of);
        int limit = limit(ctx);
        for (HistoryStore.Found f : ctx.history().search(text, in, limit)) {
            print(ctx, f.conversation().target(), f.record(), false);
        }
        return 0;
    }

    private static HistoryRecord withText(HistoryRecord r, String text) {
        return new HistoryRecord(r.kind(), r.id(), r.from(), r.seq(), r.time(), text, r.pending(), r.device(),
                r.received(), r.ref());
    }

    private static void print(Context ctx, Target conversation, HistoryRecord r, boolean edited) {
        byte[] id;
        try {
            id = HexFormat.of().parseHex(r.id());
        } catch (IllegalArgumentException e) {
            return; // not a message id (a local line): not a message to print
        }
        var kind = switch (r.kind()) {
            case ACTION -> MessageText.Kind.ACTION;
            case TOPIC -> MessageText.Kind.TOPIC;
            default -> MessageText.Kind.TEXT;
        };
        var reply = r.ref().matches("[0-9a-f]{32}")
                ? new crumbhub.client.message.Interaction.Reply(crumbhub.wire.MessageId.parse(r.ref())) : null;
        var m = new ReceivedMessage(conversation, r.from(), r.device(), r.seq(), r.time(), id,
                new MessageText(kind, r.text()).encode(), r.received(), reply);
        ctx.println(ctx.command.flag("json") ? MessageFormat.json(m, edited)
                : MessageFormat.plain(m, ctx.io.zone()) + (edited ? " (edited)" : ""));
        if (ctx.io.out().checkError()) {
            throw ClientException.store("cannot write to standard output (closed?)");
        }
    }

    static int limit(Context ctx) {
        return ctx.command.value("limit").map(raw -> {
            if (!raw.matches("[0-9]{1,9}") || Integer.parseInt(raw) == 0 || Integer.parseInt(raw) > MAX_LIMIT) {
                throw ClientException.usage("--limit needs a whole number from 1 to " + MAX_LIMIT + ", not '"
                        + ClientText.safe(raw) + "'");
            }
            return Integer.parseInt(raw);
        }).orElse(DEFAULT_LIMIT);
    }
}
