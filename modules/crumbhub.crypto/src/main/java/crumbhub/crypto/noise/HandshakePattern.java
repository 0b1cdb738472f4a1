package crumbhub.crypto.noise;

import java.util.List;

/**
 * A Noise handshake pattern as data (rev 34, section 7): pre-message tokens for each side and
 * the message patterns, alternating initiator to responder (even indices) and responder to
 * initiator (odd indices). The constants below are the fundamental (section 7.4, 7.5) and
 * deferred (section 18) patterns, written in the spec's notation; {@link #byName} adds
 * {@code pskN} modifiers (section 9).
 *
 * @param name the pattern's name as it appears in a protocol name, e.g. {@code XXpsk3}
 * @param initiatorPremessages keys the responder knows before the handshake ({@code e}, {@code s})
 * @param responderPremessages keys the initiator knows before the handshake
 * @param messages the message patterns in order
 */
public record HandshakePattern(
        String name, List<Token> initiatorPremessages, List<Token> responderPremessages, List<List<Token>> messages) {

    public HandshakePattern {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a handshake pattern needs a name");
        }
        initiatorPremessages = List.copyOf(initiatorPremessages);
        responderPremessages = List.copyOf(responderPremessages);
        messages = messages.stream().map(List::copyOf).toList();
        if (messages.isEmpty()) {
            throw new IllegalArgumentException(name + ": a handshake pattern needs at least one message");
        }
        for (var pre : List.of(initiatorPremessages, responderPremessages)) {
            if (!List.of(Token.E, Token.S).containsAll(pre)) {
                throw new IllegalArgumentException(name + ": pre-messages may hold only e and s");
            }
        }
    }

    // One-way patterns (section 7.4).
    public static final HandshakePattern N = PatternParser.parse("N", """
            <- s
            ...
            -> e, es
            """);
    public static final HandshakePattern K = PatternParser.parse("K", """
            -> s
            <- s
            ...
            -> e, es, ss
            """);
    public static final HandshakePattern X = PatternParser.parse("X", """
            <- s
            ...
            -> e, es, s, ss
            """);

    // Interactive fundamental patterns (section 7.5).
    public static final HandshakePattern NN = PatternParser.parse("NN", """
            -> e
            <- e, ee
            """);
    public static final HandshakePattern NK = PatternParser.parse("NK", """
            <- s
            ...
            -> e, es
            <- e, ee
            """);
    public static final HandshakePattern NX = PatternParser.parse("NX", """
            -> e
            <- e, ee, s, es
            """);
    public static final HandshakePattern XN = PatternParser.parse("XN", """
            -> e
            <- e, ee
            -> s, se
            """);
    public static final HandshakePattern XK = PatternParser.parse("XK", """
            <- s
            ...
            -> e, es
            <- e, ee
            -> s, se
            """);
    public static final HandshakePattern XX = PatternParser.parse("XX", """
            -> e
            <- e, ee, s, es
            -> s, se
            """);
    public static final HandshakePattern KN = PatternParser.parse("KN", """
            -> s
            ...
            -> e
            <- e, ee, se
            """);
    public static final HandshakePattern KK = PatternParser.parse("KK", """
            -> s
            <- s
            ...
            -> e, es, ss
            <- e, ee, se
            """);
    public static final HandshakePattern KX = PatternParser.parse("KX", """
            -> s
            ...
            -> e
            <- e, ee, se, s, es
            """);
    public static final HandshakePattern IN = PatternParser.parse("IN", """
            -> e, s
            <- e, ee, se
            """);
    public static final HandshakePattern IK = PatternParser.parse("IK", """
            <- s
            ...
            -> e, es, s, ss
            <- e, ee, se
            """);
    public static final HandshakePattern IX = PatternParser.parse("IX", """
            -> e, s
            <- e, ee, se, s, es
            """);

    // Deferred patterns (section 18.2).
    public static final HandshakePattern NK1 = PatternParser.parse("NK1", """
            <- s
            ...
            -> e
            <- e, ee, es
            """);
    public static final HandshakePattern NX1 = PatternParser.parse("NX1", """
            -> e
            <- e, ee, s
            -> es
            """);
    public static final HandshakePattern X1N = PatternParser.parse("X1N", """
            -> e
            <- e, ee
            -> s
            <- se
            """);
    public static final HandshakePattern X1K = PatternParser.parse("X1K", """
            <- s
            ...
            -> e, es
            <- e, ee
            -> s
            <- se
            """);
    public static final HandshakePattern XK1 = PatternParser.parse("XK1", """
            <- s
            ...
            -> e
            <- e, ee, es
            -> s, se
            """);
    public static final HandshakePattern X1K1 = PatternParser.parse("X1K1", """
            <- s
            ...
            -> e
            <- e, ee, es
            -> s
            <- se
            """);
    public static final HandshakePattern X1X = PatternParser.parse("X1X", """
            -> e
            <- e, ee, s, es
            -> s
            <- se
            """);
    public static final HandshakePattern XX1 = PatternParser.parse("XX1", """
            -> e
            <- e, ee, s
            -> es, s, se
            """);
    public static final HandshakePattern X1X1 = PatternParser.parse("X1X1", """
            -> e
            <- e, ee, s
            -> es, s
            <- se
            """);
    public static final HandshakePattern K1N = PatternParser.parse("K1N", """
            -> s
            ...
            -> e
            <- e, ee
            -> se
            """);
    public static final HandshakePattern K1K = PatternParser.parse("K1K", """
            -> s
            <- s
            ...
            -> e, es
            <- e, ee
            -> se
            """);
    public static final HandshakePattern KK1 = PatternParser.parse("KK1", """
            -> s
            <- s
            ...
            -> e
            <- e, ee, se, es
            """);
    public static final HandshakePattern K1K1 = PatternParser.parse("K1K1", """
            -> s
            <- s
            ...
            -> e
            <- e, ee, es
            -> se
            """);
    public static final HandshakePattern K1X = PatternParser.parse("K1X", """
            -> s
            ...
            -> e
            <- e, ee, s, es
            -> se
            """);
    public static final HandshakePattern KX1 = PatternParser.parse("KX1", """
            -> s
            ...
            -> e
            <- e, ee, se, s
            -> es
            """);
    public static final HandshakePattern K1X1 = PatternParser.parse("K1X1", """
            -> s
            ...
            -> e
            <- e, ee, s
            -> se, es
            """);
    public static final HandshakePattern I1N = PatternParser.parse("I1N", """
            -> e, s
            <- e, ee
            -> se
            """);
    public static final HandshakePattern I1K = PatternParser.parse("I1K", """
            <- s
            ...
            -> e, es, s
            <- e, ee
            -> se
            """);
    public static final HandshakePattern IK1 = PatternParser.parse("IK1", """
            <- s
            ...
            -> e, s
            <- e, ee, se, es
            """);
    public static final HandshakePattern I1K1 = PatternParser.parse("I1K1", """
            <- s
            ...
            -> e, s
            <- e, ee, es
            -> se
            """);
    public static final HandshakePattern I1X = PatternParser.parse("I1X", """
            -> e, s
            <- e, ee, s, es
            -> se
            """);
    public static final HandshakePattern IX1 = PatternParser.parse("IX1", """
            -> e, s
            <- e, ee, se, s
            -> es
            """);
    public static final HandshakePattern I1X1 = PatternParser.parse("I1X1", """
            -> e, s
            <- e, ee, s
            -> se, es
            """);

    private static final List<HandshakePattern> CATALOG = List.of(
            N, K, X, NN, NK, NX, XN, XK, XX, KN, KK, KX, IN, IK, IX,
            NK1, NX1, X1N, X1K, XK1, X1K1, X1X, XX1, X1X1, K1N, K1K, KK1, K1K1, K1X, KX1, K1X1,
            I1N, I1K, IK1, I1K1, I1X, IX1, I1X1);

    /**
     * The pattern with this name: a fundamental or deferred pattern, optionally followed by
     * {@code pskN} modifiers joined with {@code +} ({@code IKpsk2}, {@code XXpsk0+psk3}).
     *
     * @throws IllegalArgumentException if the name is unknown or a modifier is unsupported
     */
    public static HandshakePattern byName(String name) {
        return PatternParser.byName(name, CATALOG);
    }

    /** Every fundamental and deferred pattern, without modifiers. */
    public static List<HandshakePattern> basePatterns() {
        return CATALOG;
    }

    /** Whether only the initiator sends (N, K, X and their modified forms). */
    public boolean isOneWay() {
        return messages.size() == 1;
    }

    /** Whether {@code role} needs its own static key: it sends it, or the peer knows it in advance. */
    public boolean needsLocalStatic(Role role) {
        if (premessages(role).contains(Token.S)) {
            return true;
        }
        for (int i = role == Role.INITIATOR ? 0 : 1; i < messages.size(); i += 2) {
            if (messages.get(i).contains(Token.S)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code role} must be given the peer's static public key before the handshake. */
    public boolean preknowsRemoteStatic(Role role) {
        return premessages(role == Role.INITIATOR ? Role.RESPONDER : Role.INITIATOR).contains(Token.S);
    }

    private List<Token> premessages(Role role) {
        return role == Role.INITIATOR ? initiatorPremessages : responderPremessages;
    }

    /** The number of {@code psk} tokens, which is how many pre-shared keys a handshake needs. */
    public int pskCount() {
        return (int) messages.stream().flatMap(List::stream).filter(t -> t == Token.PSK).count();
    }
}
