package crumbhub.server.core;

import crumbhub.server.domain.Domain;
import crumbhub.wire.AuthFrame;
import crumbhub.wire.DeviceToken;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;
import java.util.Arrays;

/**
 * What a session in AUTH may send (protocol §3): REGISTER, LOGIN or RESUME, one at a time, checked
 * by the {@link Authenticator}; on success the session becomes READY and is attached to delivery.
 * Core thread.
 */
final class AuthRequests {
    private final Authenticator auth;
    private final Journal journal;
    private final Delivery delivery;
    private final KeyRequests keys;
    private final Replies replies;

    /** {@code checker} builds the authenticator around this object's continuation. */
    AuthRequests(Journal journal, Delivery delivery, KeyRequests keys, Replies replies,
                 java.util.function.Function<Authenticator.Success, Authenticator> checker) {
        this.journal = journal;
        this.delivery = delivery;
        this.keys = keys;
        this.replies = replies;
        this.auth = checker.apply(this::authenticated);
    }

    void handle(Session s, Frame f) {
        boolean authFrame = f instanceof AuthFrame.Register || f instanceof AuthFrame.Login || f instanceof AuthFrame.Resume;
        if (!authFrame) {
            s.peer().send(Errors.of(f.requestId(), ErrorCode.UNAUTHORIZED, "log in first"));
            return;
        }
        if (s.authPending()) {
            s.peer().send(Errors.of(f.requestId(), ErrorCode.WRONG_STATE, "an authentication is already in progress"));
            return;
        }
        if (!(f instanceof AuthFrame.Resume) && replies.refuseWrite(s, f.requestId())) {
            return;
        }
        s.beginAuth();
        switch (f) {
            case AuthFrame.Register r -> auth.register(s, r);
            case AuthFrame.Login l -> auth.login(s, l);
            case AuthFrame.Resume r -> auth.resume(s, r);
            default -> throw new IllegalStateException("not an auth frame: " + f.typeName());
        }
    }

    private void authenticated(Session s, int requestId, Domain.Authenticated a, boolean wrote) {
        Runnable then = () -> {
            s.endAuth();
            byte[] token = a.token();
            if (s.phase() != Session.Phase.AUTH || a.device().revoked() || a.device().user().banned()) {
                Arrays.fill(token, (byte) 0);
                if (s.phase() == Session.Phase.AUTH) {
                    s.peer().send(Errors.of(requestId, ErrorCode.BAD_CREDENTIALS, "wrong user name or password"));
                }
                return;
            }
            s.authenticated(a.device());
            delivery.attach(s);
            var reply = new AuthFrame.AuthOk(requestId, s.device().userName(), s.device().id(), DeviceToken.of(token));
            Arrays.fill(token, (byte) 0);
            s.peer().send(reply);
            keys.tellIfLow(s.device());
        };
        if (!wrote) {
            then.run();
            return;
        }
        journal.afterDurable(then, () -> {
            s.endAuth();
            Arrays.fill(a.token(), (byte) 0);
            s.peer().send(Errors.storage(requestId));
        });
    }
}
