package crumbhub.crypto.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.crypto.FixedRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class SafetyNumberTest {
    private static IdentityPublicKey identity(long seed) {
        try (var keys = IdentityKeys.generate(new FixedRandom(seed))) {
            return keys.publicKey();
        }
    }

    @Test
    void bothSidesComputeTheSameSixtyDigits() {
        var alice = identity(1);
        var bob = identity(2);
        var fromAlice = SafetyNumber.of("alice", alice, "bob", bob);
        var fromBob = SafetyNumber.of("bob", bob, "alice", alice);
        assertThat(fromAlice).isEqualTo(fromBob);
        assertThat(fromAlice.digits()).hasSize(60).containsOnlyDigits();
        assertThat(fromAlice.toString()).matches("(\\d{5} ){11}\\d{5}");
        assertThat(fromAlice.displayText()).matches("(\\d{5} \\d{5} \\d{5} \\d{5}\n){2}\\d{5} \\d{5} \\d{5} \\d{5}");
    }

    @Test
    void anyKeyOrNameChangeChangesTheNumber() {
        var alice = identity(1);
        var bob = identity(2);
        var base = SafetyNumber.of("alice", alice, "bob", bob);
        assertThat(SafetyNumber.of("alice", alice, "bob", identity(3))).isNotEqualTo(base);
        assertThat(SafetyNumber.of("alice", identity(4), "bob", bob)).isNotEqualTo(base);
        assertThat(SafetyNumber.of("alice", alice, "bobby", bob)).isNotEqualTo(base);
        assertThat(SafetyNumber.of("alice", List.of(alice, identity(5)), "bob", List.of(bob))).isNotEqualTo(base);
    }

    @Test
    void deviceOrderAndDuplicatesDoNotMatter() {
        var a1 = identity(1);
        var a2 = identity(6);
        var bob = identity(2);
        var one = SafetyNumber.of("alice", List.of(a1, a2), "bob", List.of(bob));
        var two = SafetyNumber.of("bob", List.of(bob), "alice", List.of(a2, a1, a2));
        assertThat(one).isEqualTo(two);
    }

    @Test
    void typedNumberMatchesIgnoringWhitespaceOnly() {
        var number = SafetyNumber.of("alice", identity(1), "bob", identity(2));
        assertThat(number.matches(number.displayText())).isTrue();
        assertThat(number.matches(" " + number.digits() + "\n")).isTrue();
        var wrong = (number.digits().charAt(0) == '0' ? "1" : "0") + number.digits().substring(1);
        assertThat(number.matches(wrong)).isFalse();
        assertThat(number.matches(number.digits().substring(1))).isFalse();
    }

    @Test
    void emptyDeviceListIsRejected() {
        assertThatThrownBy(() -> SafetyNumber.of("alice", List.of(), "bob", List.of(identity(2))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
