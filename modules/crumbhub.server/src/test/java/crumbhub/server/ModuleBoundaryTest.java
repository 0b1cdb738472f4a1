package crumbhub.server;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.testkit.ModuleGraph;
import org.junit.jupiter.api.Test;

/**
 * The boundary of module {@code crumbhub.server} as compiled: exports nothing and needs only wire
 * (and crypto through it). Tests run on the class path, where every module reads every other, so
 * this is where a change to {@code module-info.java} shows.
 */
class ModuleBoundaryTest {
    private static final String MODULE = "crumbhub.server";

    @Test
    void exportsNothing() {
        assertThat(ModuleGraph.exports(MODULE)).isEmpty();
    }

    @Test
    void requiresOnlyTheModulesBelowIt() {
        // jdk.net: SO_PEERCRED, the admin socket's check of the connecting user
        assertThat(ModuleGraph.requires(MODULE)).containsExactlyInAnyOrder("java.base", "crumbhub.wire", "jdk.net",
                "java.management");
    }

    @Test
    void resolvesToAGraphWithoutTheModulesBesideOrAboveIt() {
        assertThat(ModuleGraph.graph(MODULE))
                .containsExactlyInAnyOrder("crumbhub.server", "crumbhub.wire", "crumbhub.crypto");
    }

    @Test
    void everyPackageStartsWithTheModuleName() {
        assertThat(ModuleGraph.descriptor(MODULE).packages())
                .allSatisfy(p -> assertThat(p.equals(MODULE) || p.startsWith(MODULE + ".")).as(p).isTrue());
    }
}
