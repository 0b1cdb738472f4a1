package crumbhub.server.core;

import static crumbhub.server.core.Harness.cast;
import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.crypto.identity.IdentityKeys;
import crumbhub.crypto.pqxdh.KemPreKeyPair;
import crumbhub.crypto.pqxdh.SignedPreKeyPair;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.wire.AccountFrame;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.DeviceFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;
import crumbhub.wire.KeyFrame;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Protocol §7 through the core: account identities, escrows, certificates, and the new-device push. */
class AccountRequestsTest {
    private final SecureRandom rng = new SecureRandom();
    private Harness h;

    @AfterEach
    void close() throws InterruptedException {
        if (h != null) {
            h.close();
        }
    }

    private Frame publishKeys(int requestId) {
        var id = IdentityKeys.generate(rng);
        return new KeyFrame.KeysPublish(requestId, id.publicKey().encode(),
                SignedPreKeyPair.generate(id, 1, rng).publicPart().encode(),
                KemPreKeyPair.generate(id, 1, rng).publicPart().encode(), List.of());
    }

    @Test
    void identitiesAndCertificatesAreServedAndTheEscrowOnlyToTheAccount() {
        h = new Harness(true, RegistrationMode.OPEN);
        var alice = h.connect().register("alice");
        var bob = h.connect().register("bob");
        int aliceDevice = alice.auth.deviceId();
        alice.ok(id -> new AccountFrame.AccountPublish(id, new byte[] {1, 2}, new byte[] {3},
                List.of(new AccountFrame.Certificate(aliceDevice, new byte[] {4}))));
        var own = cast(alice.call(id -> new AccountFrame.AccountKeys(id, "alice", List.of(aliceDevice, 99))),
                AccountFrame.AccountKeysReply.class);
        assertThat(own.identity()).containsExactly(1, 2);
        assertThat(own.escrow()).containsExactly(3);
        assertThat(own.certificates()).containsExactly(new AccountFrame.Certificate(aliceDevice, new byte[] {4}));
        var other = cast(bob.call(id -> new AccountFrame.AccountKeys(id, "alice", List.of(aliceDevice))),
                AccountFrame.AccountKeysReply.class);
        assertThat(other.identity()).containsExactly(1, 2);
        assertThat(other.escrow()).as("the escrow goes to the account's own devices only").isEmpty();
        var refused = bob.call(id -> new AccountFrame.AccountPublish(id, new byte[0], new byte[0],
                List.of(new AccountFrame.Certificate(bob.auth.deviceId() + 1, new byte[] {9}))));
        assertThat(cast(refused, ControlFrame.Error.class).errorCode()).contains(ErrorCode.NOT_FOUND);
        var unknown = cast(bob.call(id -> new AccountFrame.AccountKeys(id, "nobody", List.of())),
                AccountFrame.AccountKeysReply.class);
        assertThat(unknown.identity()).isEmpty();
    }

    @Test
    void aNewDeviceIsAnnouncedToTheAccountsOtherSessionsWhenItPublishesItsFirstKeys() {
        h = new Harness(true, RegistrationMode.OPEN);
        var laptop = h.connect().register("alice");
        cast(laptop.call(this::publishKeys), KeyFrame.KeysStatus.class);
        var phone = h.connect().login("alice", "password-alice");
        cast(phone.call(this::publishKeys), KeyFrame.KeysStatus.class);
        var push = laptop.peer.next();
        assertThat(push).isInstanceOfSatisfying(DeviceFrame.DeviceList.class, l -> {
            assertThat(l.requestId()).isZero();
            assertThat(l.devices()).extracting(d -> d.id()).contains(phone.auth.deviceId());
        });
    }
}
