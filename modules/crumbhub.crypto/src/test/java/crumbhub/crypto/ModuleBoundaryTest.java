package crumbhub.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.testkit.ModuleGraph;
import org.junit.jupiter.api.Test;

/**
 * The boundary of module {@code crumbhub.crypto} as compiled: pure cryptography on java.base
 * alone. Tests run on the class path, where every module reads every other, so this is where a
 * change to {@code module-info.java} shows.
 */
class ModuleBoundaryTest {
    private static final String MODULE = "crumbhub.crypto";

    @Test
    void exportsOnlyItsApiPackages() {
        assertThat(ModuleGraph.exports(MODULE)).containsExactlyInAnyOrder("crumbhub.crypto", "crumbhub.crypto.noise",
                "crumbhub.crypto.identity", "crumbhub.crypto.account", "crumbhub.crypto.pqxdh", "crumbhub.crypto.ratchet",
                "crumbhub.crypto.group", "crumbhub.crypto.binary", "crumbhub.crypto.file");
    }

    @Test
    void requiresOnlyTheModulesBelowIt() {
        assertThat(ModuleGraph.requires(MODULE)).containsExactlyInAnyOrder("java.base");
    }

    @Test
    void resolvesToAGraphWithoutTheModulesBesideOrAboveIt() {
        assertThat(ModuleGraph.graph(MODULE))
                .containsExactlyInAnyOrder("crumbhub.crypto");
    }

    @Test
    void everyPackageStartsWithTheModuleName() {
        assertThat(ModuleGraph.descriptor(MODULE).packages())
                .allSatisfy(p -> assertThat(p.equals(MODULE) || p.startsWith(MODULE + ".")).as(p).isTrue());
    }
}
