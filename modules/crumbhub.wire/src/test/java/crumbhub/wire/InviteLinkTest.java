package crumbhub.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class InviteLinkTest {
    private static final byte[] DIGEST = new byte[32];

    static {
        for (int i = 0; i < DIGEST.length; i++) {
            DIGEST[i] = (byte) (i * 37 + 11);
        }
    }

    private static InviteLink sample() {
        return new InviteLink("chat-1.example.org", 5555, "abcdefghijklmnopqrstuvwx", DIGEST);
    }

    @Test
    void roundTripsEveryField() throws InvalidLinkException {
        for (var link : new InviteLink[] {sample(), new InviteLink("::1", 1, "x", DIGEST),
                new InviteLink("10.0.0.7", 65_535, "a".repeat(Limits.INVITE), new byte[32])}) {
            var back = InviteLink.parse(link.text());
            assertThat(back).isEqualTo(link);
            assertThat(back.keyDigest()).isEqualTo(link.keyDigest());
        }
        assertThat(new InviteLink("::1", 1, "x", DIGEST).address()).isEqualTo("[::1]:1");
    }

    @Test
    void theTextIsSafeInAShellAndHasNothingAMailClientBreaksAt() {
        String text = sample().text();
        assertThat(text).startsWith("crumbhub://");
        assertThat(text.substring("crumbhub://".length())).matches("[0-9a-hjkmnp-tv-z]+");
    }

    @Test
    void survivesLineBreaksSpacesQuoteMarksAndAngleBracketsAMailClientAdds() throws InvalidLinkException {
        String text = sample().text();
        var wrapped = new StringBuilder("  <");
        for (int i = 0; i < text.length(); i += 17) {
            wrapped.append(text, i, Math.min(text.length(), i + 17)).append(i % 2 == 0 ? "\r\n> " : "\n\t");
        }
        wrapped.append(">\n");
        assertThat(InviteLink.parse(wrapped.toString())).isEqualTo(sample());
        assertThat(InviteLink.parse(text.toUpperCase(java.util.Locale.ROOT))).isEqualTo(sample());
    }

    @Test
    void readsLettersMistakenForDigitsAsCrockfordsAlphabetSays() throws InvalidLinkException {
        String text = sample().text();
        String payload = text.substring("crumbhub://".length()).replace('0', 'o').replace('1', 'l');
        assertThat(InviteLink.parse("crumbhub://" + payload)).isEqualTo(sample());
    }

    @Test
    void everySingleChangedCharacterIsRefused() {
        String text = sample().text();
        String digits = "0123456789abcdefghjkmnpqrstvwxyz";
        var random = new Random(18);
        for (int i = "crumbhub://".length(); i < text.length(); i++) {
            char was = text.charAt(i);
            char now;
            do {
                now = digits.charAt(random.nextInt(digits.length()));
            } while (now == was);
            String typo = text.substring(0, i) + now + text.substring(i + 1);
            assertThatThrownBy(() -> InviteLink.parse(typo)).as("position %d", i)
                    .isInstanceOf(InvalidLinkException.class).hasMessageContaining("invite link");
        }
    }

    @Test
    void anAlteredAddressOrFingerprintIsRefusedUnlessTheWholeLinkIsRemade() {
        String text = sample().text();
        // a lost piece, a doubled piece, a missing last character
        for (String bad : new String[] {text.substring(0, text.length() - 1), text + text.substring(20, 28),
                text.substring(0, 30) + text.substring(38)}) {
            assertThatThrownBy(() -> InviteLink.parse(bad)).isInstanceOf(InvalidLinkException.class)
                    .hasMessageStartingWith("the invite link is");
        }
        assertThatThrownBy(() -> InviteLink.parse(text.replace("crumbhub://", "crumbhub://$")))
                .hasMessageContaining("a character no link has");
        assertThatThrownBy(() -> InviteLink.parse("https://example.org/"))
                .hasMessage("that is not an invite link: it must start with crumbhub://");
        assertThatThrownBy(() -> InviteLink.parse("crumbhub://" + "0".repeat(5000)))
                .hasMessageContaining("far too long");
    }

    @Test
    void aLinkWhoseChecksumMatchesButWhoseFieldsAreInvalidIsRefused() {
        // host "a b" (a space cannot be in a host), a correct check: the link was made on purpose
        byte[] body = crumbhub.crypto.binary.BinaryWriter.growable(64).u8(1).str8("a\u001b").u16(5555).str8("code")
                .raw(DIGEST).toByteArray();
        String forged = forge(body);
        assertThatThrownBy(() -> InviteLink.parse(forged)).isInstanceOf(InvalidLinkException.class)
                .hasMessage("the invite link holds an invalid address or code");
        byte[] future = crumbhub.crypto.binary.BinaryWriter.growable(64).u8(2).toByteArray();
        assertThatThrownBy(() -> InviteLink.parse(forge(future))).hasMessageContaining("update crumbhub-client");
    }

    @Test
    void theCodeNeverAppearsInToString() {
        assertThat(sample().toString()).doesNotContain("abcdef").contains("chat-1.example.org:5555");
    }

    /** A link with a valid check over any bytes, as someone who knows the format could make. */
    private static String forge(byte[] body) {
        try {
            var sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update("CrumbHub invite link".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] check = java.util.Arrays.copyOf(sha.digest(body), 4);
            return "crumbhub://" + InviteLink.encode(crumbhub.crypto.Bytes.concat(body, check));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
