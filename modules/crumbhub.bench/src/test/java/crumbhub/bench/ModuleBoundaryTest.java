package crumbhub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.testkit.ModuleGraph;
import org.junit.jupiter.api.Test;

/**
 * The boundary of module {@code crumbhub.bench} as compiled: exports nothing and needs only wire:
 * no client or server code in the load generator. Tests run on the class path, where every module
 * reads every other, so this is where a change to {@code module-info.java} shows.
 */
class ModuleBoundaryTest {
    private static final String MODULE = "crumbhub.bench";

    @Test
    void exportsNothing() {
        assertThat(ModuleGraph.exports(MODULE)).isEmpty();
    }

    @Test
    void requiresOnlyTheModulesBelowIt() {
        assertThat(ModuleGraph.requires(MODULE)).containsExactlyInAnyOrder("java.base", "crumbhub.wire");
    }

    @Test
    void resolvesToAGraphWithoutTheModulesBesideOrAboveIt() {
        assertThat(ModuleGraph.graph(MODULE))
                .containsExactlyInAnyOrder("crumbhub.bench", "crumbhub.wire", "crumbhub.crypto");
    }

    @Test
    void everyPackageStartsWithTheModuleName() {
        assertThat(ModuleGraph.descriptor(MODULE).packages())
                .allSatisfy(p -> assertThat(p.equals(MODULE) || p.startsWith(MODULE + ".")).as(p).isTrue());
    }
}
