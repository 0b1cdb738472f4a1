package crumbhub.client.cli;

import crumbhub.client.ClientException;
import crumbhub.client.format.MessageText;
import crumbhub.client.message.Interaction;
import crumbhub.client.message.SealedMessage;
import crumbhub.client.message.Target;
import crumbhub.client.net.ClientSession;
import crumbhub.client.ops.Operation;
import crumbhub.wire.Frame;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.MessageId;

import java.util.Optional;
import java.util.function.IntFunction;

/** send; listen lives in {@link Listen}. */
final class MessageCommands {
    private MessageCommands() {}

    /**
     * Encrypts and sends one message and exits 0 only after the server confirmed every request
     * that carries it (the message is durable). If the connection is lost first, reconnects once
     * and sends the unconfirmed requests again with their same message ids: the server
     * de-duplicates, so the message is stored once either way.
     */
    /** {@code send TARGET TEXT...}: the words of TEXT joined by single spaces, sent as plain text. */
    static Operation.Send parse(ParsedCommand command) {
        Target target = Target.parse(command.positional(0));
        String text = command.rest(1);
        if (text.isEmpty()) {
            throw ClientException.usage("send: the message is empty");
        }
        return new Operation.Send(target, MessageText.text(text));
    }

    /** {@code send TARGET TEXT... [--reply-to ID]}: a plain message, or with {@code --reply-to} a reply. */
    static Operation.Common parseSend(ParsedCommand command) {
        Operation.Send send = parse(command);
        return command.value("reply-to").<Operation.Common>map(id -> new Operation.Interact(Optional.of(send.to()),
                new Interaction.Reply(InteractCommands.messageId(id)), command.rest(1))).orElse(send);
    }

    static int send(Context ctx, Operation.Common op) {
        return switch (op) {
            case Operation.Send s -> send(ctx, s);
            case Operation.Interact i -> InteractCommands.run(ctx, i);
            default -> throw new IllegalArgumentException("send runs Send or Interact, not " + op);
        };
    }

    static int send(Context ctx, Operation.Send op) {
        Target target = op.to();
        // the words exactly as given (not op.text().encode(), which would replace a leading U+0001):
        // send has always passed its text through unchanged, and scripts may rely on that
        String text = ctx.command.rest(1);
        MessageId id = MessageId.random(ctx.rng);
        java.time.Instant created = ctx.io.clock().instant();
        sealAndSend(ctx, target, text, id, null, (s, stored) -> record(ctx, target, id, text, created, stored));
        return 0;
    }

    /**
     * Encrypts {@code text} (with {@code interaction}, or null for a plain message) for
     * {@code target} and sends it until the server confirmed every request; then runs
     * {@code after} with the connection and the last confirmation, before the account's full
     * history backup batches go up on the same connection (so what {@code after} records joins
     * the open batch first). Returns the last confirmation (null for a note to
     * self with no other device).
     */
    static MessageFrame.SendOk sealAndSend(Context ctx, Target target, String text, MessageId id,
                                           Interaction interaction,
                                           java.util.function.BiConsumer<ClientSession, MessageFrame.SendOk> after) {
        var e2e = ctx.e2e();
        String what = "send to " + target.display();
        try (var s = Sessions.resume(ctx, e2e::onPush)) {
            e2e.attach(s.session());
            var backup = CommandBackup.attach(ctx, e2e);
            e2e.maintain();
            SealedMessage out = e2e.seal(target, text, id, interaction);
            boolean retried = false;
            MessageFrame.SendOk[] stored = new MessageFrame.SendOk[1];
            for (IntFunction<Frame> request : out.requests()) {
                retried = deliver(ctx, s.session(), what, request, retried, id, stored);
            }
            out.sent();
            after.accept(s.session(), stored[0]);
            // full batches of the account's history backup go up on this connection; the line
            // of this message joins the open batch once it is recorded (docs/client.md)
            backup.uploadSealed(s.session());
            if (e2e.refillWanted()) {
                e2e.maintain();
            }
            return stored[0];
        }
    }

    /**
     * Records the sent message in the account's history. It is sent either way: a history that
     * cannot be written is a notice, not a failed send.
     */
    private static void record(Context ctx, Target target, MessageId id, String text, java.time.Instant created,
                               MessageFrame.SendOk ok) {
        long seq = ok == null ? 0 : ok.seq();
        java.time.Instant time = ok == null ? created : java.time.Instant.ofEpochMilli(ok.tsMs());
        try {
            ctx.recorder().sent(target, id, text, created, seq, time);
        } catch (ClientException e) {
            if (e.kind() != ClientException.Kind.LOCAL_STORE) {
                throw e;
            }
            ctx.notice("sent, but not recorded in the history: " + e.getMessage());
        }
    }

    /** Sends one request until SEND_OK, reconnecting once per message; returns whether the reconnect was used. */
    private static boolean deliver(Context ctx, ClientSession session, String what, IntFunction<Frame> request,
                                   boolean retried, MessageId id, MessageFrame.SendOk[] stored) {
        try {
            stored[0] = session.call(what, request, MessageFrame.SendOk.class);
            return retried;
        } catch (ClientException first) {
            if (first.kind() != ClientException.Kind.NETWORK || retried) {
                throw retried && first.kind() == ClientException.Kind.NETWORK ? notConfirmed(first, id) : first;
            }
            ctx.notice(first.getMessage() + "; sending again");
            try {
                session.reconnect();
                stored[0] = session.call(what, request, MessageFrame.SendOk.class);
                return true;
            } catch (ClientException second) {
                if (second.kind() != ClientException.Kind.NETWORK) {
                    throw second;
                }
                throw notConfirmed(second, id);
            }
        }
    }

    private static ClientException notConfirmed(ClientException e, MessageId id) {
        return ClientException.network(e.getMessage()
                + " (not confirmed: the server may or may not have stored message " + id + ")", e);
    }
}
