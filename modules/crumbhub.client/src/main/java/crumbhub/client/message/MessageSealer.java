package crumbhub.client.message;

/**
 * Turns the text a user sends into the body that goes on the wire. The one seam where
 * end-to-end encryption plugs in: today {@link PlaintextCodec}; later the Double Ratchet for
 * direct messages and Sender Keys for rooms.
 */
public interface MessageSealer {
    /**
     * @throws crumbhub.client.ClientException (usage) if the text cannot be sent, e.g. too long
     */
    SealedBody seal(Target target, String text);
}
