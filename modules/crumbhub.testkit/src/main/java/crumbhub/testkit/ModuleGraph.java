package crumbhub.testkit;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ResolvedModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The module boundaries of a CrumbHub module as built: its compiled {@code module-info} and the
 * module graph it resolves to, read with {@link ModuleFinder} from the test class path (each
 * reactor module's {@code target/classes} or jar). The test suites run on the class path, where
 * every module reads every other; a module's boundary test pins its exports, its requires and
 * the modules its graph pulls in (a client graph with no server module in it, for example),
 * so that a change to a {@code module-info} is a reviewed change to that test.
 */
public final class ModuleGraph {
    private ModuleGraph() {}

    /** The compiled descriptor of {@code module}; fails if it is not on the test class path. */
    public static ModuleDescriptor descriptor(String module) {
        return finder().find(module)
                .orElseThrow(() -> new AssertionError("module " + module + " is not on the test class path"))
                .descriptor();
    }

    /** The packages {@code module} exports to everyone (qualified exports left out). */
    public static Set<String> exports(String module) {
        return descriptor(module).exports().stream().filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The modules {@code module} requires, java.base and other system modules included. */
    public static Set<String> requires(String module) {
        return descriptor(module).requires().stream().map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The non-system modules of the graph that {@code module} resolves to by its requires alone
     * (no service binding), itself included. Resolution fails if a required module is missing.
     */
    public static Set<String> graph(String module) {
        Configuration boot = ModuleLayer.boot().configuration();
        Configuration cf = Configuration.resolve(finder(), List.of(boot), ModuleFinder.of(), Set.of(module));
        return cf.modules().stream().map(ResolvedModule::name).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The CrumbHub modules on the test class path: jars and exploded module directories. */
    private static ModuleFinder finder() {
        Path[] entries = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of)
                .filter(p -> p.toString().contains("crumbhub."))
                .filter(p -> p.toString().endsWith(".jar") || Files.isRegularFile(p.resolve("module-info.class")))
                .toArray(Path[]::new);
        return ModuleFinder.of(entries);
    }
}
