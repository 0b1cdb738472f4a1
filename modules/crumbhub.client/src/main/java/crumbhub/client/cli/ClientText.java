package crumbhub.client.cli;

/** Text from the server or the user, made safe to print on one terminal line. */
final class ClientText {
    private ClientText() {}

    static String safe(String text) {
        var b = new StringBuilder();
        text.codePoints().forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return b.toString();
    }
}
