package crumbhub.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The client's package layers (docs/client.md, Code map), checked on the module's source files:
 * the front ends ({@code cli}, {@code daemon}, {@code irc}, {@code tui}) sit on the session layer
 * ({@code chat}, {@code ops}, {@code model}), which sits on {@code net}, {@code e2e},
 * {@code home}, {@code message} and {@code format}. A reference to a package is any mention of
 * its qualified name: an import, a qualified type in code or in a Javadoc link.
 */
class PackageLayersTest {
    private static final Path MAIN = Path.of("src/main/java");
    private static final Path TEST = Path.of("src/test/java");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);

    /** Which packages may name each front-end package: the package itself (and below), and who starts it. */
    private static final Map<String, List<String>> FRONT_ENDS = Map.of(
            "crumbhub.client.tui", List.of("crumbhub.client.tui", "crumbhub.client.cli"),
            "crumbhub.client.daemon", List.of("crumbhub.client.daemon", "crumbhub.client.cli"),
            "crumbhub.client.irc", List.of("crumbhub.client.irc", "crumbhub.client.cli"),
            "crumbhub.client.cli", List.of("crumbhub.client.cli", "crumbhub.client"));

    @Test
    void onlyTheFrontEndsAndTheirLauncherReferenceAFrontEndPackage() {
        var violations = new ArrayList<String>();
        for (Path file : sources(MAIN)) {
            if (file.endsWith("module-info.java")) {
                continue;
            }
            String text = read(file);
            String pkg = packageOf(text, file);
            FRONT_ENDS.forEach((frontEnd, allowed) -> {
                boolean mayUse = allowed.stream().anyMatch(a -> pkg.equals(a)
                        || (!a.equals("crumbhub.client") && pkg.startsWith(a + ".")));
                if (!mayUse && text.contains(frontEnd + ".")) {
                    violations.add(MAIN.relativize(file) + " (" + pkg + ") names " + frontEnd);
                }
            });
        }
        assertThat(violations).as("lower layers naming a front end").isEmpty();
    }

    @Test
    void theSessionUiContractNamesNeitherTheSessionNorTheUi() {
        for (Path file : sources(MAIN.resolve("crumbhub/client/model"))) {
            assertThat(read(file)).as(file.toString())
                    .doesNotContain("crumbhub.client.chat.").doesNotContain("crumbhub.client.tui.");
        }
    }

    @Test
    void noTwoTypesInTheModuleShareASimpleName() {
        var byName = new TreeMap<String, List<String>>();
        for (Path root : List.of(MAIN, TEST)) {
            for (Path file : sources(root)) {
                String name = file.getFileName().toString();
                if (!name.equals("module-info.java") && !name.equals("package-info.java")) {
                    byName.computeIfAbsent(name.substring(0, name.length() - ".java".length()), k -> new ArrayList<>())
                            .add(root.relativize(file).toString());
                }
            }
        }
        byName.values().removeIf(files -> files.size() < 2);
        assertThat(byName).as("simple names used by more than one class").isEmpty();
    }

    private static List<Path> sources(Path root) {
        assertThat(root).as("run from the module directory").isDirectory();
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String packageOf(String text, Path file) {
        var m = PACKAGE.matcher(text);
        assertThat(m.find()).as("package line of " + file).isTrue();
        return m.group(1);
    }
}
