package crumbhub.client.message;

import crumbhub.client.ClientException;

import java.nio.charset.StandardCharsets;

/**
 * {@code alg 0}: the body is the UTF-8 text, unencrypted (protocol §2, only until end-to-end
 * encryption lands). Invalid UTF-8 from a peer becomes U+FFFD rather than an error.
 */
public final class PlaintextCodec implements MessageSealer, MessageOpener {
    public static final int ALG_NONE = 0;

    @Override
    public SealedBody seal(Target target, String text) {
        var body = text.getBytes(StandardCharsets.UTF_8);
        if (body.length > SealedBody.MAX_BODY) {
            throw ClientException.usage("message too long: " + body.length + " bytes of UTF-8, at most "
                    + SealedBody.MAX_BODY);
        }
        return new SealedBody(ALG_NONE, body);
    }

    @Override
    public Result open(Target target, String from, SealedBody body) {
        if (body.alg() != ALG_NONE) {
            return new Result.Unreadable("encrypted with alg " + body.alg() + ", which this client cannot read yet");
        }
        return new Result.Opened(new String(body.body(), StandardCharsets.UTF_8));
    }
}
