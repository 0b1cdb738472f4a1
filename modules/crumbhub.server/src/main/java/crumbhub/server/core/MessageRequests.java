package crumbhub.server.core;

import crumbhub.server.domain.Domain;
import crumbhub.server.domain.Kind;
import crumbhub.server.domain.Rejected;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.TargetKind;

/** SEND, SYNC and ACK (protocol §5): messages in, deliveries out, cursors. Core thread. */
final class MessageRequests {
    private final Domain domain;
    private final Delivery delivery;
    private final SeqLeases leases;
    private final Replies replies;

    MessageRequests(Domain domain, Delivery delivery, SeqLeases leases, Replies replies) {
        this.domain = domain;
        this.delivery = delivery;
        this.leases = leases;
        this.replies = replies;
    }

    void send(Session s, MessageFrame.Send x) {
        int id = x.requestId();
        if (replies.tooLarge(x.body())) {
            s.peer().send(replies.tooLarge(id));
            return;
        }
        if (replies.refuseGrowth(s, id)) {
            return;
        }
        Kind kind = x.kind() == TargetKind.ROOM ? Kind.ROOM : Kind.DIRECT;
        Domain.SendResult result;
        leases.beforeStore();
        try {
            result = domain.send(s.device(), kind, x.target(), x.messageId().toBytes(), x.alg(), x.body());
        } catch (Rejected r) {
            s.peer().send(Errors.of(id, r));
            return;
        }
        delivery.answerSend(s, id, result);
    }

    /** RETRACT: the asking user's own message only; OK once durable (docs/protocol.md). */
    void retract(Session s, crumbhub.wire.RetractFrame.Retract x) {
        replies.change(s, x.requestId(), () -> domain.retract(s.device(), x.messageId().toBytes()));
    }

    void sync(Session s, MessageFrame.Sync x) {
        if (s.syncing()) {
            s.peer().send(Errors.of(x.requestId(), ErrorCode.WRONG_STATE, "a SYNC is already running"));
        } else {
            delivery.sync(s, x.requestId());
        }
    }

    void ack(Session s, MessageFrame.Ack x) {
        int id = x.requestId();
        if (replies.refuseWrite(s, id)) {
            return;
        }
        // a released seq may not be durable yet: its CursorMoved record follows its message's
        long limit = Math.min(delivery.releasedSeq(), domain.state().lastSeq());
        if (domain.acknowledge(s.device(), x.seq(), limit)) {
            replies.okWhenDurable(s, id);
        } else {
            s.peer().send(new ControlFrame.Ok(id));
        }
    }
}
