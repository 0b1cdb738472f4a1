package crumbhub.server.domain;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import crumbhub.server.domain.Change.AccountPublished;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Account identities (protocol §7): a device publishes its account's identity, the recovery
 * escrow and device certificates; anyone authenticated reads an account's identity and the
 * certificates of its devices; only the account itself reads its escrow. The server judges none
 * of it: clients verify every signature, and a server that lies is what they are built to catch
 * (docs/security.md). Part of {@link Domain}: check, then commit; core thread; no I/O. Also the
 * store encodings of {@link AccountPublished} and of the snapshot's account section.
 */
public final class AccountRules {
    /** Longest stored account identity, escrow or certificate (protocol §2 ACCOUNT_KEY, ESCROW, CERTIFICATE). */
    static final int MAX_BYTES = 8_192;

    private final State state;
    private final Consumer<Change> commit;

    AccountRules(State state, Consumer<Change> commit) {
        this.state = state;
        this.commit = commit;
    }

    /** One certificate to store: the device it is for and its encoding. */
    public record Certificate(int deviceId, byte[] certificate) {}

    /**
     * Stores what {@code from} publishes for its account. Every certificate must name an active
     * device of the same account; nothing is stored when one does not. Publishing exactly what is
     * stored changes nothing.
     */
    public void publish(Device from, byte[] identity, byte[] escrow, List<Certificate> certificates) throws Rejected {
        if (from.revoked()) {
            throw new Rejected(Reason.NOT_FOUND, "no such device");
        }
        User user = from.user();
        boolean newIdentity = identity.length > 0 && !MessageDigest.isEqual(identity, user.accountIdentity);
        boolean changed = newIdentity || escrow.length > 0 && !MessageDigest.isEqual(escrow, user.escrow);
        var certs = new ArrayList<Change.DeviceCertificate>(certificates.size());
        for (Certificate c : certificates) {
            Device d = user.device(c.deviceId());
            if (d == null || d.revoked()) {
                throw new Rejected(Reason.NOT_FOUND, "device " + Integer.toUnsignedString(c.deviceId())
                        + " is not an active device of this account");
            }
            changed |= newIdentity || !MessageDigest.isEqual(d.certificate, c.certificate());
            certs.add(new Change.DeviceCertificate(c.deviceId(), c.certificate()));
        }
        if (changed) {
            commit.accept(new AccountPublished(user.name(), identity, escrow, certs));
        }
    }

    /** The user named {@code rawUser}, or null for an invalid or unknown name (answered like an account without identity). */
    public User lookup(String rawUser) {
        try {
            return state.user(Names.userRef(rawUser));
        } catch (Rejected invalid) {
            return null;
        }
    }

    static void apply(User user, AccountPublished c) {
        if (c.identity().length > 0 && !MessageDigest.isEqual(c.identity(), user.accountIdentity)) {
            user.accountIdentity = c.identity();
            for (Device d : user.devices.values()) {
                d.certificate = new byte[0];
            }
        }
        if (c.escrow().length > 0) {
            user.escrow = c.escrow();
        }
        for (Change.DeviceCertificate cert : c.certificates()) {
            Device d = user.device(cert.deviceId());
            if (d == null) {
                throw new CorruptStateException("certificate for unknown device " + user.name() + "/" + cert.deviceId());
            }
            d.certificate = cert.certificate();
        }
    }

    // ---- store encodings ----

    /** {@code str16 user, bytes32 identity, bytes32 escrow, u32 n, n × (u32 deviceId, bytes32 certificate)}. */
    static void write(BinaryWriter w, AccountPublished c) {
        w.str16(c.user()).bytes32(c.identity()).bytes32(c.escrow()).u32(c.certificates().size());
        for (Change.DeviceCertificate cert : c.certificates()) {
            w.u32(cert.deviceId()).bytes32(cert.certificate());
        }
    }

    static AccountPublished read(BinaryReader<CorruptStateException> r) {
        String user = r.str16();
        byte[] identity = r.bytes32(MAX_BYTES);
        byte[] escrow = r.bytes32(MAX_BYTES);
        int n = r.count32(1_000);
        var certs = new ArrayList<Change.DeviceCertificate>(n);
        for (int i = 0; i < n; i++) {
            certs.add(new Change.DeviceCertificate(r.u32(), r.bytes32(MAX_BYTES)));
        }
        return new AccountPublished(user, identity, escrow, certs);
    }

    /**
     * The snapshot's account section (version 4): {@code u32 n}, then for each user that has any
     * account data {@code str16 user, bytes32 identity, bytes32 escrow, u32 m,
     * m × (u32 deviceId, bytes32 certificate)}.
     */
    static void writeSnapshot(BinaryWriter w, Collection<User> users) {
        var with = new ArrayList<User>();
        for (User u : users) {
            if (u.accountIdentity.length > 0 || u.escrow.length > 0
                    || u.devices.values().stream().anyMatch(d -> d.certificate.length > 0)) {
                with.add(u);
            }
        }
        w.u32(with.size());
        for (User u : with) {
            var certified = u.devices.values().stream().filter(d -> d.certificate.length > 0).toList();
            w.str16(u.name()).bytes32(u.accountIdentity).bytes32(u.escrow).u32(certified.size());
            for (Device d : certified) {
                w.u32(d.id()).bytes32(d.certificate);
            }
        }
    }

    static void readSnapshot(BinaryReader<CorruptStateException> r, Map<String, User> users) {
        int n = r.count32(100_000_000);
        for (int i = 0; i < n; i++) {
            String name = r.str16();
            User u = users.get(name);
            if (u == null) {
                throw new CorruptStateException("account section names unknown user " + name);
            }
            u.accountIdentity = r.bytes32(MAX_BYTES);
            u.escrow = r.bytes32(MAX_BYTES);
            int m = r.count32(100_000);
            for (int j = 0; j < m; j++) {
                int id = r.u32();
                Device d = u.device(id);
                if (d == null) {
                    throw new CorruptStateException("certificate for unknown device " + name + "/" + id);
                }
                d.certificate = r.bytes32(MAX_BYTES);
            }
        }
    }
}
