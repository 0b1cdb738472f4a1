package crumbhub.client.cli;

import crumbhub.client.ClientException;
import crumbhub.client.chat.Interactions;
import crumbhub.client.message.Interaction;
import crumbhub.client.message.Target;
import crumbhub.client.model.ConversationId;
import crumbhub.client.ops.Operation;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.MessageId;

import java.time.Instant;
import java.util.Optional;

/**
 * {@code react ID EMOJI [--remove]}, {@code edit ID TEXT...}, {@code delete ID} and
 * {@code send TARGET TEXT... --reply-to ID} (docs/client.md "Replies, reactions, edits and
 * deletes"): each finds message ID in this device's history, sends the interaction end-to-end
 * encrypted to that message's conversation, and records it. Exits 0 once the server stored it.
 */
final class InteractCommands {
    private InteractCommands() {
    }

    static Operation.Interact parseReact(ParsedCommand p) {
        return new Operation.Interact(Optional.empty(),
                new Interaction.React(messageId(p.positional(0)), p.flag("remove")), p.positional(1));
    }

    static Operation.Interact parseEdit(ParsedCommand p) {
        String text = p.rest(1);
        if (text.isEmpty()) {
            throw ClientException.usage("edit: the new text is empty");
        }
        return new Operation.Interact(Optional.empty(), new Interaction.Edit(messageId(p.positional(0))), text);
    }

    static Operation.Interact parseDelete(ParsedCommand p) {
        return new Operation.Interact(Optional.empty(), new Interaction.Delete(messageId(p.positional(0))), "");
    }

    /**
     * After a delete: asks the server to drop what it still holds of the message (RETRACT,
     * docs/protocol.md), so devices that have not fetched it never get it. The server holding
     * nothing (every device had it) is the common case; a failure is a notice, the delete went out.
     */
    private static void retract(Context ctx, crumbhub.client.net.ClientSession session, MessageId message) {
        try {
            session.call("retract " + message, r -> new crumbhub.wire.RetractFrame.Retract(r, message),
                    crumbhub.wire.ControlFrame.Ok.class);
        } catch (ClientException e) {
            switch (e.kind()) {
                case REFUSED -> ctx.debug("the server holds nothing more of " + message + ": " + e.getMessage());
                case NETWORK, USAGE, IDENTITY, LOCAL_STORE -> ctx.notice("deleted, but the server may keep message "
                        + message + " until its recipients fetch it: " + e.getMessage());
            }
        }
    }

    /** A message id as {@code listen --json} prints it: 32 hex digits. */
    static MessageId messageId(String raw) {
        if (!raw.matches("[0-9a-fA-F]{32}")) {
            throw ClientException.usage("a message id is 32 hex digits (the \"id\" of listen --json or history --json),"
                    + " not '" + ClientText.safe(raw) + "'");
        }
        return MessageId.parse(raw.toLowerCase(java.util.Locale.ROOT));
    }

    static int run(Context ctx, Operation.Interact op) {
        String me = ctx.home().session().user();
        Target target = Interactions.resolve(ctx.history(), me, op.to(), op.interaction());
        MessageId id = MessageId.random(ctx.rng);
        Instant created = ctx.io.clock().instant();
        MessageFrame.SendOk ok = MessageCommands.sealAndSend(ctx, target, op.text(), id, op.interaction(),
                (session, stored) -> {
                    if (op.interaction() instanceof Interaction.Delete d) {
                        retract(ctx, session, d.to());
                    }
                });
        long seq = ok == null ? 0 : ok.seq();
        Instant time = ok == null ? created : Instant.ofEpochMilli(ok.tsMs());
        try {
            String warning = Interactions.recordSent(ctx.history(), ConversationId.of(target), me, seq, time, id,
                    op.text(), op.interaction());
            if (warning != null) {
                ctx.notice(warning);
            }
        } catch (ClientException e) {
            if (e.kind() != ClientException.Kind.LOCAL_STORE) {
                throw e;
            }
            ctx.notice("sent, but not recorded in the history: " + e.getMessage());
        }
        return 0;
    }
}
