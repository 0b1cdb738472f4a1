package crumbhub.crypto.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.crypto.CryptoException;
import crumbhub.crypto.account.RoomStatement.Action;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoomStatementTest {
    private final SecureRandom rng = new SecureRandom();

    @Test
    void aStatementRoundTripsAndVerifiesOnlyUnderItsSignersAccount() throws CryptoException {
        try (var alice = AccountKeyPair.generate(AccountKeyPair.FIRST_EPOCH, rng);
             var mallory = AccountKeyPair.generate(AccountKeyPair.FIRST_EPOCH, rng)) {
            var create = RoomStatement.sign(alice, "ops", 0, new byte[0], "alice", Action.CREATE, "",
                    List.of("bob"), List.of("carol"), 1_000, rng);
            var decoded = RoomStatement.decode(create.encode());
            assertThat(decoded).isEqualTo(create);
            assertThat(decoded.members()).containsExactly("bob");
            assertThat(decoded.invited()).containsExactly("carol");
            assertThat(decoded.verifies(alice.publicKey())).isTrue();
            assertThat(decoded.verifies(mallory.publicKey())).isFalse();

            var invite = RoomStatement.sign(alice, "ops", 1, create.hash(), "alice", Action.INVITE, "dave",
                    List.of(), List.of(), 2_000, rng);
            assertThat(invite.previous()).isEqualTo(create.hash()).hasSize(RoomStatement.HASH_LENGTH);
            // the same fields under another subject, room or seq do not verify with that signature
            for (var forged : List.of(
                    new RoomStatement("ops", 1, create.hash(), "alice", Action.INVITE, "mallory", List.of(), List.of(),
                            2_000, invite.epoch(), invite.signature()),
                    new RoomStatement("dev", 1, create.hash(), "alice", Action.INVITE, "dave", List.of(), List.of(),
                            2_000, invite.epoch(), invite.signature()),
                    new RoomStatement("ops", 2, create.hash(), "alice", Action.INVITE, "dave", List.of(), List.of(),
                            2_000, invite.epoch(), invite.signature()),
                    new RoomStatement("ops", 1, new byte[32], "alice", Action.INVITE, "dave", List.of(), List.of(),
                            2_000, invite.epoch(), invite.signature()))) {
                assertThat(forged.verifies(alice.publicKey())).as(forged.toString()).isFalse();
            }
        }
    }

    @Test
    void malformedEncodingsAreRefused() throws CryptoException {
        try (var alice = AccountKeyPair.generate(AccountKeyPair.FIRST_EPOCH, rng)) {
            byte[] ok = RoomStatement.sign(alice, "ops", 0, new byte[0], "alice", Action.CREATE, "", List.of(),
                    List.of(), 1, rng).encode();
            byte[] trailing = java.util.Arrays.copyOf(ok, ok.length + 1);
            assertThatThrownBy(() -> RoomStatement.decode(trailing)).isInstanceOf(CryptoException.class);
            byte[] version = ok.clone();
            version[0] = 2;
            assertThatThrownBy(() -> RoomStatement.decode(version)).isInstanceOf(CryptoException.class);
            assertThat(ok.length).isLessThan(RoomStatement.MAX_ENCODED_LENGTH);
        }
    }
}
