package crumbhub.wire;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.testkit.ModuleGraph;
import java.lang.module.ModuleDescriptor.Requires;
import org.junit.jupiter.api.Test;

/**
 * The boundary of module {@code crumbhub.wire} as compiled: frames, the event loop and the Noise
 * connection on top of crypto; the logger every program shares. Tests run on the class path, where
 * every module reads every other, so this is where a change to {@code module-info.java} shows.
 */
class ModuleBoundaryTest {
    private static final String MODULE = "crumbhub.wire";

    @Test
    void exportsOnlyItsApiPackages() {
        assertThat(ModuleGraph.exports(MODULE))
                .containsExactlyInAnyOrder("crumbhub.wire", "crumbhub.wire.loop", "crumbhub.wire.net", "crumbhub.wire.log",
                        "crumbhub.wire.cli");
    }

    @Test
    void requiresOnlyTheModulesBelowIt() {
        assertThat(ModuleGraph.requires(MODULE)).containsExactlyInAnyOrder("java.base", "crumbhub.crypto");
    }

    @Test
    void resolvesToAGraphWithoutTheModulesBesideOrAboveIt() {
        assertThat(ModuleGraph.graph(MODULE))
                .containsExactlyInAnyOrder("crumbhub.wire", "crumbhub.crypto");
    }

    @Test
    void everyPackageStartsWithTheModuleName() {
        assertThat(ModuleGraph.descriptor(MODULE).packages())
                .allSatisfy(p -> assertThat(p.equals(MODULE) || p.startsWith(MODULE + ".")).as(p).isTrue());
    }

    @Test
    void passesCryptoOnAndProvidesTheLineLoggerOfEveryProgram() {
        var d = ModuleGraph.descriptor(MODULE);
        assertThat(d.requires()).filteredOn(r -> r.name().equals("crumbhub.crypto"))
                .singleElement().satisfies(r -> assertThat(r.modifiers()).contains(Requires.Modifier.TRANSITIVE));
        assertThat(d.provides()).singleElement().satisfies(p -> {
            assertThat(p.service()).isEqualTo("java.lang.System$LoggerFinder");
            assertThat(p.providers()).containsExactly("crumbhub.wire.log.LineLoggerFinder");
        });
    }
}
