package crumbhub.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Names refuse, and printed text escapes, what could act on a terminal or reorder what it shows. */
class SafeTextTest {
    @Test
    void controlBidiAndInvisibleCharactersAreUnsafe() {
        for (int cp : new int[] {0x00, 0x07, '\t', '\n', 0x1B, 0x7F, 0x85, 0x9B, 0x061C, 0x200B, 0x200E, 0x200F,
                0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2028, 0x2029, 0x2060, 0x2066, 0x2067, 0x2068, 0x2069,
                0xFEFF, 0xFFF9}) {
            assertThat(SafeText.isUnsafe(cp)).as("U+%04X", cp).isTrue();
        }
        for (int cp : new int[] {' ', 'a', 'é', 0x05D0, 0x4E2D, 0x1F4F1, 0x200A}) {
            assertThat(SafeText.isUnsafe(cp)).as("U+%04X", cp).isFalse();
        }
    }

    @Test
    void aRefusalNamesTheCharacterAndItsPosition() {
        assertThat(SafeText.refusal("Télé 📱 ok", "a device name")).isNull();
        assertThat(SafeText.refusal("📱a\u202Eb", "a device name")).isEqualTo(
                "a device name must not contain control or bidirectional-override characters (U+202E at character 3)");
    }

    @Test
    void escapingShowsExactlyWhatIsStoredAndNothingActs() {
        assertThat(SafeText.escape("plain name")).isEqualTo("plain name");
        assertThat(SafeText.escape("a\u001b[2J\\b\u202E\tc")).isEqualTo("a\\u{001B}[2J\\\\b\\u{202E}\\u{0009}c");
        assertThat(SafeText.escapeLine("1\tx\u001b\\y\n")).isEqualTo("1\tx\\u{001B}\\y\\u{000A}");
        String once = SafeText.escapeLine("a\u2066b");
        assertThat(SafeText.escapeLine(once)).as("idempotent").isEqualTo(once);
    }
}
