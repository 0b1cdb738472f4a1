package crumbhub.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NameRulesTest {

    @Test
    void foldsOnlyAsciiLettersAndKeepsAFoldedNameAsItIs() {
        assertThat(NameRules.fold("Dev-Ops.2")).isEqualTo("dev-ops.2");
        String folded = "alice_01";
        assertThat(NameRules.fold(folded)).isSameAs(folded);
        assertThat(NameRules.fold("\u212Aelvin")).isEqualTo("\u212Aelvin");
        assertThat(NameRules.fold(null)).isEmpty();
    }

    @Test
    void validNamesAreOneToThirtyTwoCharactersOfTheAlphabet() {
        assertThat(NameRules.isValid("a")).isTrue();
        assertThat(NameRules.isValid("a".repeat(NameRules.MAX_LENGTH))).isTrue();
        assertThat(NameRules.isValid("a".repeat(NameRules.MAX_LENGTH + 1))).isFalse();
        assertThat(NameRules.isValid("")).isFalse();
        assertThat(NameRules.isValid(null)).isFalse();
        for (String bad : new String[] {"a b", "a@b", "#room", "ünï", "a/b", "tab\t", "\u212Aelvin", "Upper"}) {
            assertThat(NameRules.isValid(bad)).as(bad).isFalse();
        }
        assertThat(NameRules.RULE).contains("1 to 32");
    }

    @Test
    void newUsersCannotTakeReservedOrFlagLikeNames() {
        assertThat(NameRules.newUserRefusal("admin")).contains("reserved");
        assertThat(NameRules.newUserRefusal("-rf")).contains("'-'");
        assertThat(NameRules.newUserRefusal(".hidden")).contains("'.'");
        assertThat(NameRules.newUserRefusal("alice")).isNull();
    }
}
