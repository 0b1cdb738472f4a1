package crumbhub.crypto.noise;

/** Which side of a handshake this party plays. The initiator sends the first message. */
public enum Role {
    INITIATOR,
    RESPONDER
}
