package crumbhub.client.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rule for the names downloads get (docs/client.md "Files"): a sender's name never leaves the target directory. */
class SafeNameTest {
    @TempDir
    Path dir;

    @Test
    void hostileNamesStayOneVisibleComponentOfTheTargetDirectory() {
        assertThat(SafeName.of("../../etc/passwd")).isEqualTo("passwd");
        assertThat(SafeName.of("/etc/shadow")).isEqualTo("shadow");
        assertThat(SafeName.of("..\\..\\windows\\win.ini")).isEqualTo("win.ini");
        assertThat(SafeName.of("..")).isEqualTo("download");
        assertThat(SafeName.of(".")).isEqualTo("download");
        assertThat(SafeName.of("")).isEqualTo("download");
        assertThat(SafeName.of("dir/")).isEqualTo("download");
        assertThat(SafeName.of(".bashrc")).isEqualTo("bashrc");
        assertThat(SafeName.of("...hidden")).isEqualTo("hidden");
        assertThat(SafeName.of("a\nb\u0000c\u001b[31m.txt")).isEqualTo("a_b_c_[31m.txt");
        assertThat(SafeName.of("invoice\u202Etxt.exe")).isEqualTo("invoice_txt.exe");
        assertThat(SafeName.of("\u0085x\u009b")).isEqualTo("_x_");
        assertThat(SafeName.of("  spaced name.pdf  ")).isEqualTo("spaced name.pdf");
        assertThat(SafeName.of("ünïcödé ☃.txt")).isEqualTo("ünïcödé ☃.txt");
        String longName = "é".repeat(300) + ".tar.gz";
        String cut = SafeName.of(longName);
        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(247);
        assertThat(cut).endsWith(".gz").startsWith("ééé");
    }

    @Test
    void anExistingFileIsNeverReplacedTheNextFreeNumberIsUsed() throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "mine");
        Files.writeString(dir.resolve("notes (1).txt"), "mine too");
        Files.createSymbolicLink(dir.resolve("notes (2).txt"), dir.resolve("elsewhere"));
        Path temp = Files.writeString(dir.resolve(".crumbhub-1.part"), "theirs");
        Path placed = SafeName.place(temp, dir, "../notes.txt");
        assertThat(placed).isEqualTo(dir.resolve("notes (3).txt"));
        assertThat(Files.readString(placed)).isEqualTo("theirs");
        assertThat(Files.readString(dir.resolve("notes.txt"))).isEqualTo("mine");
        assertThat(Files.exists(temp)).isFalse();
        assertThat(Files.exists(dir.resolve("elsewhere"))).isFalse();
        Path noExt = Files.writeString(dir.resolve(".crumbhub-2.part"), "x");
        Files.writeString(dir.resolve("README"), "y");
        assertThat(SafeName.place(noExt, dir, "README")).isEqualTo(dir.resolve("README (1)"));
    }
}
