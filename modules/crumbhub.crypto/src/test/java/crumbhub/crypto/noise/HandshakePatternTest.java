package crumbhub.crypto.noise;

import static crumbhub.crypto.noise.Token.E;
import static crumbhub.crypto.noise.Token.EE;
import static crumbhub.crypto.noise.Token.ES;
import static crumbhub.crypto.noise.Token.PSK;
import static crumbhub.crypto.noise.Token.S;
import static crumbhub.crypto.noise.Token.SE;
import static crumbhub.crypto.noise.Token.SS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HandshakePatternTest {
    @Test
    void xxReadsLikeTheSpec() {
        assertThat(HandshakePattern.XX.messages()).containsExactly(List.of(E), List.of(E, EE, S, ES), List.of(S, SE));
        assertThat(HandshakePattern.XX.initiatorPremessages()).isEmpty();
        assertThat(HandshakePattern.XX.responderPremessages()).isEmpty();
        assertThat(HandshakePattern.byName("XX")).isSameAs(HandshakePattern.XX);
    }

    @Test
    void pskModifiersInsertTokensWhereSectionNineSays() {
        var ik = HandshakePattern.byName("IKpsk2");
        assertThat(ik.name()).isEqualTo("IKpsk2");
        assertThat(ik.responderPremessages()).containsExactly(S);
        assertThat(ik.messages()).containsExactly(List.of(E, ES, S, SS), List.of(E, EE, SE, PSK));
        var xx = HandshakePattern.byName("XXpsk0+psk3");
        assertThat(xx.messages()).containsExactly(List.of(PSK, E), List.of(E, EE, S, ES), List.of(S, SE, PSK));
        assertThat(xx.pskCount()).isEqualTo(2);
        assertThat(HandshakePattern.byName("Npsk0").isOneWay()).isTrue();
    }

    @Test
    void deferredPatternsAreKnown() {
        assertThat(HandshakePattern.byName("X1K1").messages())
                .containsExactly(List.of(E), List.of(E, EE, ES), List.of(S), List.of(SE));
        assertThat(HandshakePattern.basePatterns()).hasSize(38);
        assertThat(HandshakePattern.basePatterns().stream().map(HandshakePattern::name).distinct()).hasSize(38);
    }

    @Test
    void unknownNamesAndModifiersAreRejected() {
        for (var bad : List.of("", "ZZ", "xx", "XXfallback", "XXpsk", "XXpsk4", "NNpsk3", "XXpsk0+", "XXpsk0++psk1", "XX+psk0")) {
            assertThatThrownBy(() -> HandshakePattern.byName(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void parserRejectsMessagesThatDoNotAlternate() {
        assertThatThrownBy(() -> PatternParser.parse("bad", "<- e")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PatternParser.parse("bad", "-> e\n-> e")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PatternParser.parse("bad", "-> e, xx")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keyRequirementsFollowTheTokens() {
        assertThat(HandshakePattern.XX.needsLocalStatic(Role.INITIATOR)).isTrue();
        assertThat(HandshakePattern.XX.needsLocalStatic(Role.RESPONDER)).isTrue();
        assertThat(HandshakePattern.XX.preknowsRemoteStatic(Role.INITIATOR)).isFalse();
        assertThat(HandshakePattern.NK.needsLocalStatic(Role.INITIATOR)).isFalse();
        assertThat(HandshakePattern.NK.needsLocalStatic(Role.RESPONDER)).isTrue();
        assertThat(HandshakePattern.NK.preknowsRemoteStatic(Role.INITIATOR)).isTrue();
        assertThat(HandshakePattern.NK.preknowsRemoteStatic(Role.RESPONDER)).isFalse();
        assertThat(HandshakePattern.KN.needsLocalStatic(Role.INITIATOR)).isTrue();
        assertThat(HandshakePattern.KN.preknowsRemoteStatic(Role.RESPONDER)).isTrue();
        assertThat(HandshakePattern.NX1.needsLocalStatic(Role.INITIATOR)).isFalse();
    }
}
