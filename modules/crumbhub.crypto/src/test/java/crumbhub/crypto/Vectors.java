package crumbhub.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Locates the shared vector folder: system property {@code crumbhub.vectors}, else
 * {@code ../shared/vectors} beside the repository root (searched upwards from the working
 * directory). A missing folder fails the test, never skips it.
 */
public final class Vectors {
    private Vectors() {}

    public static Path dir() {
        var property = System.getProperty("crumbhub.vectors");
        if (property != null && Files.isDirectory(Path.of(property))) {
            return Path.of(property);
        }
        for (var d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            var candidate = d.resolve("../shared/vectors").normalize();
            if (Files.isDirectory(candidate.resolve("wycheproof"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("test vectors not found: set -Dcrumbhub.vectors");
    }

    public static String read(String relative) {
        try {
            return Files.readString(dir().resolve(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<String, Object> json(String relative) {
        return Json.object(Json.parse(read(relative)));
    }

    /** One Wycheproof test with its group's parameters. */
    public record Case(Map<String, Object> group, Map<String, Object> test) {
        public byte[] hex(String field) {
            return Bytes.fromHex((String) test.get(field));
        }

        public int integer(String field) {
            return ((BigDecimal) test.get(field)).intValueExact();
        }

        public int groupInt(String field) {
            return ((BigDecimal) group.get(field)).intValueExact();
        }

        public String result() {
            return (String) test.get("result");
        }

        public String id() {
            return "tcId " + test.get("tcId") + " (" + test.get("comment") + ")";
        }
    }

    public static List<Case> wycheproof(String file) {
        var root = json("wycheproof/" + file);
        var cases = new ArrayList<Case>();
        for (var g : Json.array(root.get("testGroups"))) {
            var group = Json.object(g);
            for (var t : Json.array(group.get("tests"))) {
                cases.add(new Case(group, Json.object(t)));
            }
        }
        if (cases.size() != ((BigDecimal) root.get("numberOfTests")).intValueExact()) {
            throw new IllegalStateException(file + ": numberOfTests does not match the tests read");
        }
        return cases;
    }
}
