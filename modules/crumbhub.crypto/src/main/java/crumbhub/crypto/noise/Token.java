package crumbhub.crypto.noise;

/** The tokens of a Noise message pattern (Noise rev 34, sections 7.1 and 9). */
public enum Token {
    /** Send or receive an ephemeral public key. */
    E,
    /** Send or receive a static public key (encrypted once a key is set). */
    S,
    /** DH(local ephemeral, remote ephemeral). */
    EE,
    /** DH between the initiator's ephemeral and the responder's static key. */
    ES,
    /** DH between the initiator's static and the responder's ephemeral key. */
    SE,
    /** DH(local static, remote static). */
    SS,
    /** Mix the next pre-shared key (section 9). */
    PSK;

    /** The token as written in the spec: {@code e}, {@code ee}, {@code psk} ... */
    public String spelling() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The token spelled {@code text} in the spec's notation. */
    static Token parse(String text) {
        for (var t : values()) {
            if (t.spelling().equals(text)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown Noise token '" + text + "'");
    }
}
