package crumbhub.server.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NamesTest {
    @Test
    void foldsAsciiUpperCase() throws Rejected {
        assertThat(Names.newUser("Alice_01")).isEqualTo("alice_01");
        assertThat(Names.room("Dev-Ops.2")).isEqualTo("dev-ops.2");
    }

    @Test
    void acceptsOneToThirtyTwoCharacters() throws Rejected {
        assertThat(Names.room("a")).isEqualTo("a");
        assertThat(Names.room("a".repeat(32))).hasSize(32);
        assertThatThrownBy(() -> Names.room("a".repeat(33))).isInstanceOf(Rejected.class);
        assertThatThrownBy(() -> Names.room("")).isInstanceOf(Rejected.class);
        assertThatThrownBy(() -> Names.room(null)).isInstanceOf(Rejected.class);
    }

    @Test
    void rejectsCharactersOutsideTheAlphabet() {
        for (String bad : new String[] {"a b", "a@b", "#room", "ünï", "a/b", "tab\t", "\u212Aelvin"}) {
            assertThatThrownBy(() -> Names.userRef(bad))
                    .isInstanceOf(Rejected.class)
                    .satisfies(e -> assertThat(((Rejected) e).reason()).isEqualTo(Reason.INVALID_NAME));
        }
    }

    @Test
    void reservedAndFlagLikeUserNamesCannotBeRegisteredButCanBeReferenced() throws Rejected {
        assertThatThrownBy(() -> Names.newUser("Admin")).isInstanceOf(Rejected.class);
        assertThatThrownBy(() -> Names.newUser("root")).isInstanceOf(Rejected.class);
        assertThatThrownBy(() -> Names.newUser("-rf")).isInstanceOf(Rejected.class);
        assertThatThrownBy(() -> Names.newUser(".hidden")).isInstanceOf(Rejected.class);
        assertThat(Names.userRef("admin")).isEqualTo("admin");
        assertThat(Names.room("admin")).isEqualTo("admin");
    }
}
