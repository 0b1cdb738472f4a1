package crumbhub.crypto.noise;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads handshake patterns written in the notation of the Noise spec (rev 34, section 7):
 * optional pre-message lines, a {@code ...} line, then message lines that alternate
 * {@code ->} (initiator) and {@code <-} (responder), starting with {@code ->}. Also applies
 * pattern modifiers such as {@code psk0+psk2} (section 9.2).
 */
final class PatternParser {
    private static final String INITIATOR_ARROW = "->";
    private static final String RESPONDER_ARROW = "<-";

    private PatternParser() {}

    static HandshakePattern parse(String name, String notation) {
        var lines = notation.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        int separator = lines.indexOf("...");
        List<Token> initiatorPre = List.of();
        List<Token> responderPre = List.of();
        for (var line : lines.subList(0, Math.max(separator, 0))) {
            var tokens = tokens(line);
            if (line.startsWith(INITIATOR_ARROW) && initiatorPre.isEmpty()) {
                initiatorPre = tokens;
            } else if (line.startsWith(RESPONDER_ARROW) && responderPre.isEmpty()) {
                responderPre = tokens;
            } else {
                throw new IllegalArgumentException(name + ": bad pre-message line '" + line + "'");
            }
        }
        var messages = new ArrayList<List<Token>>();
        for (var line : lines.subList(separator + 1, lines.size())) {
            var expected = messages.size() % 2 == 0 ? INITIATOR_ARROW : RESPONDER_ARROW;
            if (!line.startsWith(expected)) {
                throw new IllegalArgumentException(name + ": message " + messages.size() + " must start with " + expected);
            }
            messages.add(tokens(line));
        }
        return new HandshakePattern(name, initiatorPre, responderPre, messages);
    }

    /**
     * The pattern called {@code name}: a base pattern from {@code catalog} followed by optional
     * modifiers, e.g. {@code XX}, {@code X1K1}, {@code IKpsk2}, {@code XXpsk0+psk3}.
     */
    static HandshakePattern byName(String name, List<HandshakePattern> catalog) {
        int split = 0;
        while (split < name.length() && !Character.isLowerCase(name.charAt(split))) {
            split++;
        }
        Map<String, HandshakePattern> bases = catalog.stream()
                .collect(Collectors.toMap(HandshakePattern::name, Function.identity()));
        var base = bases.get(name.substring(0, split));
        if (base == null) {
            throw new IllegalArgumentException("unknown Noise handshake pattern '" + name + "'");
        }
        if (split == name.length()) {
            return base;
        }
        var messages = new ArrayList<List<Token>>();
        base.messages().forEach(m -> messages.add(new ArrayList<>(m)));
        for (var modifier : name.substring(split).split("\\+", -1)) {
            applyPsk(name, modifier, messages);
        }
        return new HandshakePattern(name, base.initiatorPremessages(), base.responderPremessages(), messages);
    }

    /** pskN: psk at the start of the first message for N = 0, else at the end of message N. */
    private static void applyPsk(String name, String modifier, List<List<Token>> messages) {
        if (!modifier.matches("psk[0-9]")) {
            throw new IllegalArgumentException("unsupported Noise pattern modifier '" + modifier + "' in " + name);
        }
        int position = modifier.charAt(3) - '0';
        if (position > messages.size()) {
            throw new IllegalArgumentException(name + ": " + modifier + " refers to a message the pattern lacks");
        }
        if (position == 0) {
            messages.get(0).addFirst(Token.PSK);
        } else {
            messages.get(position - 1).add(Token.PSK);
        }
    }

    private static List<Token> tokens(String line) {
        var body = line.substring(2).strip();
        if (body.isEmpty()) {
            return List.of();
        }
        return java.util.Arrays.stream(body.split(",")).map(String::strip).map(Token::parse).toList();
    }
}
