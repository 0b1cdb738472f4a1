package crumbhub.client.cli;

import crumbhub.client.ClientException;
import crumbhub.client.message.MessageSealer;
import crumbhub.client.message.PlaintextCodec;
import crumbhub.client.message.SealedBody;
import crumbhub.client.message.Target;
import crumbhub.wire.Frame;
import crumbhub.wire.MessageId;
import crumbhub.wire.TargetKind;

import java.util.function.IntFunction;

/** send; listen lives in {@link Listen}. */
final class MessageCommands {
    /** alg 0 until end-to-end encryption lands; the one place to swap in the real sealer. */
    static final PlaintextCodec CODEC = new PlaintextCodec();

    private MessageCommands() {}

    /**
     * Sends one message and exits 0 only after SEND_OK (the message is durable). If the
     * connection is lost first, reconnects once and sends the same message id again: the server
     * de-duplicates, so the message is stored once either way.
     */
    static int send(Context ctx) {
        Target target = Target.parse(ctx.command.positional(0));
        String text = ctx.command.rest(1);
        if (text.isEmpty()) {
            throw ClientException.usage("send: the message is empty");
        }
        MessageSealer sealer = CODEC;
        SealedBody sealed = sealer.seal(target, text);
        MessageId id = MessageId.random(ctx.rng);
        TargetKind kind = target.kind() == Target.KIND_ROOM ? TargetKind.ROOM : TargetKind.DIRECT;
        byte[] body = sealed.body();
        IntFunction<Frame> request = rid -> new Frame.Send(rid, kind, target.name(), id, sealed.alg(), body);
        String what = "send to " + target.display();
        try (var s = Sessions.resume(ctx, f -> {})) {
            try {
                s.session().call(what, request, Frame.SendOk.class);
            } catch (ClientException first) {
                if (first.kind() != ClientException.Kind.NETWORK) {
                    throw first;
                }
                ctx.notice(first.getMessage() + "; sending again");
                try {
                    s.session().reconnect();
                    s.session().call(what, request, Frame.SendOk.class);
                } catch (ClientException second) {
                    if (second.kind() != ClientException.Kind.NETWORK) {
                        throw second;
                    }
                    throw ClientException.network(second.getMessage()
                            + " (not confirmed: the server may or may not have stored message " + id + ")", second);
                }
            }
            return 0;
        }
    }
}
