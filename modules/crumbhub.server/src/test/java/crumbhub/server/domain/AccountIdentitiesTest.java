package crumbhub.server.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Account identities, escrows and certificates in the domain (protocol §7): stored as published. */
class AccountIdentitiesTest {
    private final Fixture f = new Fixture();

    @Test
    void certificatesMustNameActiveDevicesOfTheSameAccount() throws Rejected {
        Device alice = f.register("alice");
        Device bob = f.register("bob");
        assertThatThrownBy(() -> f.domain.accounts().publish(alice, new byte[] {1}, new byte[0],
                List.of(new AccountRules.Certificate(bob.id() + 5, new byte[] {9}))))
                .isInstanceOf(Rejected.class);
        assertThat(f.state.user("alice").accountIdentity()).isEmpty();
        Device phone = f.newDevice(alice.user());
        f.domain.revokeDevice(alice.user(), phone.id());
        assertThatThrownBy(() -> f.domain.accounts().publish(alice, new byte[0], new byte[0],
                List.of(new AccountRules.Certificate(phone.id(), new byte[] {9}))))
                .isInstanceOf(Rejected.class);
    }

    @Test
    void aNewIdentityDropsTheCertificatesOfTheOldOne() throws Rejected {
        Device alice = f.register("alice");
        Device phone = f.newDevice(alice.user());
        f.domain.accounts().publish(alice, new byte[] {1}, new byte[] {7},
                List.of(new AccountRules.Certificate(alice.id(), new byte[] {2}),
                        new AccountRules.Certificate(phone.id(), new byte[] {3})));
        f.domain.accounts().publish(phone, new byte[] {5}, new byte[0],
                List.of(new AccountRules.Certificate(phone.id(), new byte[] {6})));
        assertThat(alice.certificate()).isEmpty();
        assertThat(phone.certificate()).containsExactly(6);
        assertThat(alice.user().accountIdentity()).containsExactly(5);
        assertThat(alice.user().escrow()).as("an empty escrow keeps the stored one").containsExactly(7);
    }

    @Test
    void publishingWhatIsStoredChangesNothing() throws Rejected {
        Device alice = f.register("alice");
        f.domain.accounts().publish(alice, new byte[] {1}, new byte[] {2},
                List.of(new AccountRules.Certificate(alice.id(), new byte[] {3})));
        int journaled = f.journal.size();
        f.domain.accounts().publish(alice, new byte[] {1}, new byte[] {2},
                List.of(new AccountRules.Certificate(alice.id(), new byte[] {3})));
        assertThat(f.journal).hasSize(journaled);
    }
}
