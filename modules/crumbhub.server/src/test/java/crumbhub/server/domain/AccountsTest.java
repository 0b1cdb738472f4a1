package crumbhub.server.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AccountsTest {
    private final Fixture f = new Fixture();

    private static Reason reasonOf(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        try {
            call.call();
        } catch (Rejected r) {
            return r.reason();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        throw new AssertionError("not rejected");
    }

    @Test
    void registrationCreatesUserAndFirstDeviceWithToken() throws Rejected {
        var auth = f.domain.register(RegistrationMode.OPEN, "Alice", "", "h", "laptop", f.key());
        assertThat(auth.device().userName()).isEqualTo("alice");
        assertThat(auth.device().id()).isEqualTo(1);
        assertThat(auth.token()).hasSize(32);
        assertThat(auth.toString()).doesNotContain(java.util.HexFormat.of().formatHex(auth.token()));
        assertThat(f.journal).hasSize(2);
    }

    @Test
    void takenNameIsExistsAndChangesNothing() {
        f.register("alice");
        int before = f.journal.size();
        assertThat(reasonOf(() -> f.domain.register(RegistrationMode.OPEN, "ALICE", "", "h", "d", f.key())))
                .isEqualTo(Reason.EXISTS);
        assertThat(f.journal).hasSize(before);
    }

    @Test
    void closedModeRefusesEveryRegistration() {
        assertThat(reasonOf(() -> f.domain.register(RegistrationMode.CLOSED, "bob", "", "h", "d", f.key())))
                .isEqualTo(Reason.REGISTRATION_CLOSED);
        assertThat(f.state.userCount()).isZero();
    }

    @Test
    void inviteModeNeedsAValidCode() throws Rejected {
        assertThat(reasonOf(() -> f.domain.register(RegistrationMode.INVITE, "bob", "", "h", "d", f.key())))
                .isEqualTo(Reason.INVITE_INVALID);
        assertThat(reasonOf(() -> f.domain.register(RegistrationMode.INVITE, "bob", "nope", "h", "d", f.key())))
                .isEqualTo(Reason.INVITE_INVALID);
        String code = f.domain.createInvite(1, Duration.ofDays(7));
        assertThat(code).hasSize(24).matches("[a-z2-7]+");
        f.domain.register(RegistrationMode.INVITE, "bob", code.toUpperCase(), "h", "d", f.key());
        assertThat(f.state.user("bob")).isNotNull();
    }

    @Test
    void singleUseInviteWorksOnce() throws Rejected {
        String code = f.domain.createInvite(1, Duration.ofDays(1));
        f.domain.register(RegistrationMode.INVITE, "bob", code, "h", "d", f.key());
        assertThat(reasonOf(() -> f.domain.register(RegistrationMode.INVITE, "carol", code, "h", "d", f.key())))
                .isEqualTo(Reason.INVITE_INVALID);
    }

    @Test
    void multiUseInviteAllowsExactlyItsUses() throws Rejected {
        String code = f.domain.createInvite(3, Duration.ofDays(1));
        for (String name : new String[] {"u1", "u2", "u3"}) {
            f.domain.register(RegistrationMode.INVITE, name, code, "h", "d", f.key());
        }
        assertThat(reasonOf(() -> f.domain.register(RegistrationMode.INVITE, "u4", code, "h", "d", f.key())))
                .isEqualTo(Reason.INVITE_INVALID);
    }

    @Test
    void expiredInviteIsInvalid() throws Rejected {
        String code = f.domain.createInvite(5, Duration.ofHours(1));
        f.time.advance(Duration.ofHours(1));
        assertThat(reasonOf(() -> f.domain.register(RegistrationMode.INVITE, "bob", code, "h", "d", f.key())))
                .isEqualTo(Reason.INVITE_INVALID);
    }

    @Test
    void loginWithKnownKeyResumesThatDeviceAndRotatesToken() throws Rejected {
        byte[] key = f.key();
        var first = f.domain.register(RegistrationMode.OPEN, "alice", "", "h", "laptop", key);
        var again = f.domain.login(f.state.user("alice"), "laptop", key);
        assertThat(again.device()).isSameAs(first.device());
        assertThat(again.token()).isNotEqualTo(first.token());
        assertThat(reasonOf(() -> f.domain.resume("alice", 1, first.token(), key))).isEqualTo(Reason.BAD_CREDENTIALS);
        assertThat(f.domain.resume("alice", 1, again.token(), key).device()).isSameAs(first.device());
    }

    @Test
    void loginWithNewKeyCreatesDeviceStartingAtCurrentSeq() throws Rejected {
        Device a = f.register("alice");
        f.register("bob");
        f.sendDirect(a, "bob", "before");
        Device phone = f.newDevice(f.state.user("bob"));
        assertThat(phone.id()).isEqualTo(2);
        assertThat(phone.cursor()).isEqualTo(1);
        assertThat(Fixture.pending(phone)).isEmpty();
    }

    @Test
    void resumeFailsTheSameWayForEveryMismatch() throws Rejected {
        byte[] key = f.key();
        var auth = f.domain.register(RegistrationMode.OPEN, "alice", "", "h", "laptop", key);
        byte[] token = auth.token();
        assertThat(reasonOf(() -> f.domain.resume("nobody", 1, token, key))).isEqualTo(Reason.BAD_CREDENTIALS);
        assertThat(reasonOf(() -> f.domain.resume("alice", 2, token, key))).isEqualTo(Reason.BAD_CREDENTIALS);
        assertThat(reasonOf(() -> f.domain.resume("alice", 1, new byte[32], key))).isEqualTo(Reason.BAD_CREDENTIALS);
        assertThat(reasonOf(() -> f.domain.resume("alice", 1, token, f.key()))).isEqualTo(Reason.BAD_CREDENTIALS);
        assertThat(reasonOf(() -> f.domain.resume("BAD NAME", 1, token, key))).isEqualTo(Reason.BAD_CREDENTIALS);
        assertThat(f.domain.resume("Alice", 1, token, key).device().id()).isEqualTo(1);
    }

    @Test
    void revokedDeviceCannotResumeAndLoginWithItsKeyMakesANewDevice() throws Rejected {
        byte[] key = f.key();
        var auth = f.domain.register(RegistrationMode.OPEN, "alice", "", "h", "laptop", key);
        User alice = f.state.user("alice");
        f.domain.revokeDevice(alice, 1);
        assertThat(reasonOf(() -> f.domain.resume("alice", 1, auth.token(), key))).isEqualTo(Reason.BAD_CREDENTIALS);
        assertThat(f.domain.login(alice, "laptop", key).device().id()).isEqualTo(2);
        assertThat(reasonOf(() -> f.domain.revokeDevice(alice, 1))).isEqualTo(Reason.NOT_FOUND);
    }

    @Test
    void bannedUserCannotLoginOrResumeUntilUnbanned() throws Rejected {
        byte[] key = f.key();
        var auth = f.domain.register(RegistrationMode.OPEN, "alice", "", "h", "laptop", key);
        f.domain.setBanned("alice", true);
        User alice = f.state.user("alice");
        assertThat(reasonOf(() -> f.domain.login(alice, "x", key))).isEqualTo(Reason.FORBIDDEN);
        assertThat(reasonOf(() -> f.domain.resume("alice", 1, auth.token(), key))).isEqualTo(Reason.FORBIDDEN);
        f.domain.setBanned("alice", false);
        assertThat(f.domain.resume("alice", 1, auth.token(), key).device().id()).isEqualTo(1);
        assertThat(reasonOf(() -> f.domain.setBanned("ghost", true))).isEqualTo(Reason.NOT_FOUND);
    }

    @Test
    void activeDevicesAreCapped() throws Rejected {
        f.register("alice");
        User alice = f.state.user("alice");
        for (int i = 1; i < f.domain.quotas().devices(); i++) {
            f.newDevice(alice);
        }
        assertThat(reasonOf(() -> f.domain.login(alice, "one too many", f.key()))).isEqualTo(Reason.QUOTA);
        f.domain.revokeDevice(alice, 3);
        assertThat(f.domain.login(alice, "fits again", f.key()).device().id()).isEqualTo(f.domain.quotas().devices() + 1);
    }
}
