package crumbhub.server.core;

import crumbhub.server.domain.AccountRules;
import crumbhub.server.domain.Device;
import crumbhub.server.domain.Domain;
import crumbhub.server.domain.User;
import crumbhub.wire.AccountFrame;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * ACCOUNT_PUBLISH and ACCOUNT_KEYS (protocol §7) on the core thread. The server stores and serves
 * account identities, escrows and certificates as opaque bytes; the clients verify them.
 */
final class AccountRequests {
    private final Domain domain;
    private final Replies replies;
    private final KeyRequests keys;

    /** @param keys whose stranger-lookup budget ACCOUNT_KEYS shares, like DEVICE_KEYS and KEY_BUNDLES */
    AccountRequests(Domain domain, Replies replies, KeyRequests keys) {
        this.domain = domain;
        this.replies = replies;
        this.keys = keys;
    }

    void publish(Session s, AccountFrame.AccountPublish x) {
        var certs = new ArrayList<AccountRules.Certificate>(x.certificates().size());
        for (AccountFrame.Certificate c : x.certificates()) {
            certs.add(new AccountRules.Certificate(c.deviceId(), c.certificate()));
        }
        replies.change(s, x.requestId(), () -> domain.accounts().publish(s.device(), x.identity(), x.escrow(), certs));
    }

    void keys(Session s, AccountFrame.AccountKeys x) {
        // whether an identity comes back tells whether the account exists: a lookup like any other
        if (keys.refusedLookup(s, x.requestId(), List.of(x.user()))) {
            return;
        }
        User user = domain.accounts().lookup(x.user());
        byte[] identity = user == null ? new byte[0] : user.accountIdentity();
        byte[] escrow = user != null && user == s.device().user() ? user.escrow() : new byte[0];
        var certs = new ArrayList<AccountFrame.Certificate>();
        if (user != null) {
            for (int id : new LinkedHashSet<>(x.deviceIds())) {
                Device d = user.device(id);
                if (d != null && !d.revoked() && d.certificate().length > 0) {
                    certs.add(new AccountFrame.Certificate(id, d.certificate()));
                }
            }
        }
        s.peer().send(AccountFrame.AccountKeysReply.fitting(x.requestId(), x.user(), identity, escrow, certs));
    }
}
