package crumbhub.crypto.ratchet;

import crumbhub.crypto.Bytes;
import crumbhub.crypto.X25519KeyPair;

/**
 * The scalar part of a Double Ratchet session (spec section 3.2: RK, DHs, DHr, CKs, CKr, Ns, Nr,
 * PN). Decryption works on a {@link #copy()} and the session swaps it in on success, so the
 * committed state is never touched by a message that fails. Arrays are owned by one instance each
 * (copies clone them); the DHs key pair object is shared by a copy until a ratchet step replaces it.
 */
final class RatchetState {
    byte[] rootKey;
    X25519KeyPair self;
    byte[] selfPublic;
    /** DHr; null until the first message from the peer (responder side). */
    byte[] remote;
    /** CKs; null until the first DH ratchet step (responder side). */
    byte[] sendChain;
    int sendN;
    int previousSendN;
    /** CKr; null until the first message from the peer. */
    byte[] recvChain;
    int recvN;

    RatchetState copy() {
        var c = new RatchetState();
        c.rootKey = rootKey.clone();
        c.self = self;
        c.selfPublic = selfPublic;
        c.remote = remote == null ? null : remote.clone();
        c.sendChain = sendChain == null ? null : sendChain.clone();
        c.sendN = sendN;
        c.previousSendN = previousSendN;
        c.recvChain = recvChain == null ? null : recvChain.clone();
        c.recvN = recvN;
        return c;
    }

    void setSelf(X25519KeyPair pair) {
        self = pair;
        selfPublic = pair.publicKey();
    }

    /** Zeroes this instance's secret arrays; the key pair is closed by whoever owns it. */
    void wipe() {
        Bytes.zero(rootKey, sendChain, recvChain);
    }
}
