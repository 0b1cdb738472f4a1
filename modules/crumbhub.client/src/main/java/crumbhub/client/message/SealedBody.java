package crumbhub.client.message;

/**
 * A message body as it goes on the wire: the protocol's {@code alg} (how {@code body} is
 * encrypted; 0 = none) and the bytes the server stores without reading them.
 */
public record SealedBody(int alg, byte[] body) {
    /** Protocol §2 BODY bound. */
    public static final int MAX_BODY = 60_000;

    public SealedBody {
        if (alg < 0 || alg > 255) {
            throw new IllegalArgumentException("alg must be a u8");
        }
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SealedBody s && alg == s.alg && java.util.Arrays.equals(body, s.body);
    }

    @Override
    public int hashCode() {
        return 31 * alg + java.util.Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "SealedBody[alg=" + alg + ", " + body.length + " bytes]";
    }
}
