package crumbhub.client.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a downloaded file goes (docs/client.md "Files", "Names on download"): always directly in
 * the target directory, under a name made from the sender's, which nobody checked.
 *
 * <ul>
 *   <li>Only the part after the last {@code /} or {@code \} is kept.</li>
 *   <li>Control characters (C0, DEL, C1), bidirectional controls and line or paragraph separators
 *       become {@code _}.</li>
 *   <li>Leading dots are dropped (no hidden files, no {@code .} or {@code ..}); leading and
 *       trailing spaces too.</li>
 *   <li>The name is cut to 255 bytes of UTF-8, keeping its extension.</li>
 *   <li>An empty result is {@code download}.</li>
 *   <li>An existing file is never replaced: {@code name (1).ext}, {@code name (2).ext} … are tried
 *       in turn, each claimed atomically.</li>
 * </ul>
 */
public final class SafeName {
    private SafeName() {}

    /** The sanitized form of {@code name}: a single path component, never empty, never hidden. */
    public static String of(String name) {
        String base = name;
        int slash = Math.max(base.lastIndexOf('/'), base.lastIndexOf('\\'));
        base = base.substring(slash + 1);
        var b = new StringBuilder();
        base.codePoints().forEach(cp -> b.appendCodePoint(unsafe(cp) ? '_' : cp));
        String s = b.toString().strip();
        int dots = 0;
        while (dots < s.length() && s.charAt(dots) == '.') {
            dots++;
        }
        s = s.substring(dots).strip();
        s = cut(s, FileOffer.MAX_NAME - 8);
        return s.isEmpty() ? "download" : s;
    }

    private static boolean unsafe(int cp) {
        return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || (cp >= 0x202A && cp <= 0x202E)
                || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F || cp == 0x061C
                || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF;
    }

    /** Cuts {@code s} to at most {@code max} UTF-8 bytes, keeping a short extension. */
    private static String cut(String s, int max) {
        if (s.getBytes(StandardCharsets.UTF_8).length <= max) {
            return s;
        }
        int dot = s.lastIndexOf('.');
        String ext = dot > 0 && s.length() - dot <= 16 ? s.substring(dot) : "";
        String stem = s.substring(0, s.length() - ext.length());
        while (!stem.isEmpty() && (stem + ext).getBytes(StandardCharsets.UTF_8).length > max) {
            stem = stem.substring(0, stem.offsetByCodePoints(stem.length(), -1));
        }
        return stem + ext;
    }

    /** Moves {@code temp} to {@code target} unless something is there; false if something is. */
    private static boolean claim(Path temp, Path target) throws IOException {
        try {
            Files.createLink(target, temp); // atomic: fails if the name is taken
            Files.delete(temp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException | UnsupportedOperationException e) {
            // no hard links on this file system: a move that never replaces
            if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            try {
                Files.move(temp, target);
                return true;
            } catch (FileAlreadyExistsException raced) {
                return false;
            }
        }
    }

    /** The n-th alternative name: {@code name (n).ext}. */
    static String numbered(String safe, int n) {
        int dot = safe.lastIndexOf('.');
        return dot > 0 ? safe.substring(0, dot) + " (" + n + ")" + safe.substring(dot) : safe + " (" + n + ")";
    }

    /**
     * Moves the finished temporary file {@code temp} (in {@code dir}) to the first free name in
     * {@code dir} made from {@code name}, never replacing a file; returns where it went.
     */
    public static Path place(Path temp, Path dir, String name) throws IOException {
        String safe = of(name);
        for (int n = 0; n < 10_000; n++) {
            Path target = dir.resolve(n == 0 ? safe : numbered(safe, n));
            if (!target.getParent().equals(dir) || !target.normalize().startsWith(dir.normalize())) {
                throw new IOException("refusing a name outside the target directory");
            }
            if (claim(temp, target)) {
                return target;
            }
        }
        throw new IOException("no free name for " + safe + " in " + dir);
    }
}
