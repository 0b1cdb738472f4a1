package crumbhub.client.cli;

import crumbhub.client.ClientException;
import crumbhub.client.message.Outgoing;
import crumbhub.client.message.Target;
import crumbhub.client.net.ClientSession;
import crumbhub.wire.Frame;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.MessageId;

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
    static int send(Context ctx) {
        Target target = Target.parse(ctx.command.positional(0));
        String text = ctx.command.rest(1);
        if (text.isEmpty()) {
            throw ClientException.usage("send: the message is empty");
        }
        MessageId id = MessageId.random(ctx.rng);
        var e2e = ctx.e2e();
        String what = "send to " + target.display();
        try (var s = Sessions.resume(ctx, e2e::onPush)) {
            e2e.attach(s.session());
            e2e.maintain();
            Outgoing out = e2e.seal(target, text, id);
            boolean retried = false;
            for (IntFunction<Frame> request : out.requests()) {
                retried = deliver(ctx, s.session(), what, request, retried, id);
            }
            out.sent();
            if (e2e.refillWanted()) {
                e2e.maintain();
            }
            return 0;
        }
    }

    /** Sends one request until SEND_OK, reconnecting once per message; returns whether the reconnect was used. */
    private static boolean deliver(Context ctx, ClientSession session, String what, IntFunction<Frame> request,
                                   boolean retried, MessageId id) {
        try {
            session.call(what, request, MessageFrame.SendOk.class);
            return retried;
        } catch (ClientException first) {
            if (first.kind() != ClientException.Kind.NETWORK || retried) {
                throw retried && first.kind() == ClientException.Kind.NETWORK ? notConfirmed(first, id) : first;
            }
            ctx.notice(first.getMessage() + "; sending again");
            try {
                session.reconnect();
                session.call(what, request, MessageFrame.SendOk.class);
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
