package crumbhub.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The boundary of module {@code crumbhub.testkit} as compiled: plain JDK, no product module, so
 * that every module's tests (crumbhub.crypto's included) and the jlink end-to-end tests can use it.
 */
class ModuleBoundaryTest {
    private static final String MODULE = "crumbhub.testkit";

    @Test
    void requiresOnlyTheJdk() {
        assertThat(ModuleGraph.requires(MODULE)).containsExactlyInAnyOrder("java.base", "java.logging");
        assertThat(ModuleGraph.graph(MODULE)).noneMatch(m -> m.startsWith("crumbhub.") && !m.equals(MODULE));
    }

    @Test
    void exportsOnlyItsOnePackage() {
        assertThat(ModuleGraph.exports(MODULE)).containsExactly("crumbhub.testkit");
    }
}
