package crumbhub.crypto.noise;

import crumbhub.crypto.Bytes;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.X25519KeyPair;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A Noise handshake (rev 34, section 5.3) for {@code Noise_<pattern>_25519_AESGCM_SHA256}.
 * Pure computation: bytes in, bytes out; randomness comes from the given {@link SecureRandom}.
 *
 * <pre>
 *   Send(i) --writeMessage--> Receive(i+1) / Send(i+1) / Done
 *   Receive(i) --readMessage--> Send(i+1) / Receive(i+1) / Done     (a rejected message: no change)
 *   Done --split()--> Consumed                                      (keys zeroed, object unusable)
 *   any --failed writeMessage--> Failed
 * </pre>
 *
 * A {@code readMessage} that fails (bad tag, bad length, weak key) rolls back every change, so a
 * forged message cannot corrupt the handshake. A failing {@code writeMessage} (the peer sent a
 * low-order key) aborts the handshake. Not thread-safe: one thread drives a handshake.
 */
public final class HandshakeState {
    /** The DH, cipher and hash names appended to the pattern name. */
    public static final String SUITE = "25519_AESGCM_SHA256";
    private static final int DH_LENGTH = X25519KeyPair.KEY_LENGTH;
    private static final int PSK_LENGTH = 32;

    /** Where the handshake stands; see the diagram above. */
    private sealed interface Phase {
        record Send(int message) implements Phase {}

        record Receive(int message) implements Phase {}

        record Done(CipherState c1, CipherState c2) implements Phase {}

        record Consumed() implements Phase {}

        record Failed() implements Phase {}
    }

    private final HandshakePattern pattern;
    private final Role role;
    private final boolean pskMode;
    private final SymmetricState symmetric;
    private final X25519KeyPair s;
    private final SecureRandom rng;
    private final List<byte[]> psks;
    private X25519KeyPair e;
    private byte[] rs;
    private byte[] re;
    private int pskIndex;
    private Phase phase;

    private HandshakeState(Builder b) {
        this.pattern = b.pattern;
        this.role = b.role;
        this.pskMode = pattern.pskCount() > 0;
        this.s = b.localStatic;
        this.rs = b.remoteStatic == null ? null : b.remoteStatic.clone();
        this.e = b.ephemeral;
        this.rng = Objects.requireNonNull(b.rng, "rng");
        this.psks = b.psks.stream().map(byte[]::clone).toList();
        validate();
        this.symmetric = new SymmetricState("Noise_" + pattern.name() + "_" + SUITE);
        symmetric.mixHash(b.prologue);
        premessages(pattern.initiatorPremessages(), Role.INITIATOR);
        premessages(pattern.responderPremessages(), Role.RESPONDER);
        this.phase = turn(0);
    }

    /** A handshake as initiator; {@code localStatic} and {@code remoteStatic} as the pattern needs. */
    public static HandshakeState initiator(HandshakePattern pattern, byte[] prologue, X25519KeyPair localStatic,
            byte[] remoteStatic, List<byte[]> psks, SecureRandom rng) {
        return builder(pattern, Role.INITIATOR).prologue(prologue).localStatic(localStatic)
                .remoteStatic(remoteStatic).psks(psks).random(rng).build();
    }

    /** A handshake as responder; {@code localStatic} and {@code remoteStatic} as the pattern needs. */
    public static HandshakeState responder(HandshakePattern pattern, byte[] prologue, X25519KeyPair localStatic,
            byte[] remoteStatic, List<byte[]> psks, SecureRandom rng) {
        return builder(pattern, Role.RESPONDER).prologue(prologue).localStatic(localStatic)
                .remoteStatic(remoteStatic).psks(psks).random(rng).build();
    }

    public static Builder builder(HandshakePattern pattern, Role role) {
        return new Builder(pattern, role);
    }

    /** {@code Noise_<pattern>_25519_AESGCM_SHA256}. */
    public String protocolName() {
        return "Noise_" + pattern.name() + "_" + SUITE;
    }

    public Role role() {
        return role;
    }

    /**
     * Writes the next handshake message carrying {@code payload} (section 5.3 WriteMessage).
     *
     * @throws IllegalStateException if it is not this side's turn to send, or the handshake is over
     * @throws IllegalArgumentException if the message would exceed 65,535 bytes
     * @throws NoiseException if a DH result is all zeros (the peer sent a low-order key); the
     *     handshake is then aborted
     */
    public byte[] writeMessage(byte[] payload) throws NoiseException {
        if (!(phase instanceof Phase.Send(int index))) {
            throw new IllegalStateException("not this side's turn to write: " + describe());
        }
        var tokens = pattern.messages().get(index);
        int length = messageLength(tokens, payload.length);
        if (length > CipherState.MAX_MESSAGE_LENGTH) {
            throw new IllegalArgumentException("handshake message of " + length + " bytes exceeds 65,535");
        }
        var out = new byte[length];
        int at = 0;
        try {
            for (var token : tokens) {
                byte[] part = switch (token) {
                    case E -> {
                        if (e == null) {
                            e = X25519KeyPair.generate(rng);
                        }
                        var pub = e.publicKey();
                        mixEphemeral(pub);
                        yield pub;
                    }
                    case S -> symmetric.encryptAndHash(s.publicKey());
                    case EE, ES, SE, SS, PSK -> {
                        mixSecret(token);
                        yield new byte[0];
                    }
                };
                System.arraycopy(part, 0, out, at, part.length);
                at += part.length;
            }
            var body = symmetric.encryptAndHash(payload);
            System.arraycopy(body, 0, out, at, body.length);
        } catch (NoiseException ex) {
            abort();
            throw ex;
        }
        advance(index);
        return out;
    }

    /**
     * Reads the next handshake message and returns its payload (section 5.3 ReadMessage).
     * On any failure nothing changes: the same state can read the genuine message afterwards.
     *
     * @throws NoiseException if it is this side's turn to write, the message is too short or too
     *     long, authentication fails, or a DH result is all zeros
     * @throws IllegalStateException if the handshake is finished or failed
     */
    public byte[] readMessage(byte[] message) throws NoiseException {
        if (phase instanceof Phase.Send) {
            throw new NoiseException("received a handshake message while it is this side's turn to write");
        }
        if (!(phase instanceof Phase.Receive(int index))) {
            throw new IllegalStateException("cannot read a handshake message: " + describe());
        }
        if (message.length > CipherState.MAX_MESSAGE_LENGTH) {
            throw new NoiseException("handshake message longer than 65,535 bytes");
        }
        var checkpoint = symmetric.checkpoint();
        var savedRe = re;
        var savedRs = rs;
        int savedPsk = pskIndex;
        try {
            int at = 0;
            for (var token : pattern.messages().get(index)) {
                switch (token) {
                    case E -> {
                        re = slice(message, at, DH_LENGTH);
                        at += DH_LENGTH;
                        mixEphemeral(re);
                    }
                    case S -> {
                        int length = DH_LENGTH + (symmetric.hasKey() ? CipherState.TAG_LENGTH : 0);
                        rs = symmetric.decryptAndHash(slice(message, at, length));
                        at += length;
                    }
                    case EE, ES, SE, SS, PSK -> mixSecret(token);
                }
            }
            var body = Arrays.copyOfRange(message, at, message.length);
            var payload = symmetric.decryptAndHash(body);
            checkpoint.discard();
            advance(index);
            return payload;
        } catch (NoiseException ex) {
            symmetric.rollback(checkpoint);
            checkpoint.discard();
            re = savedRe;
            rs = savedRs;
            pskIndex = savedPsk;
            throw ex;
        }
    }

    /** Whether every handshake message has been written or read. */
    public boolean isFinished() {
        return phase instanceof Phase.Done || phase instanceof Phase.Consumed;
    }

    /**
     * The transport state (section 5.2 Split). Afterwards this object is unusable: ephemeral
     * keys, chaining key and pre-shared keys are zeroed; only {@link #remoteStatic()} and
     * {@link #handshakeHash()} still answer.
     *
     * @throws IllegalStateException if the handshake is not finished, or was split already
     */
    public TransportState split() {
        if (!(phase instanceof Phase.Done(CipherState c1, CipherState c2))) {
            throw new IllegalStateException("cannot split: " + describe());
        }
        var transport = role == Role.INITIATOR
                ? new TransportState(c1, c2, rs, symmetric.handshakeHash())
                : new TransportState(c2, c1, rs, symmetric.handshakeHash());
        destroy();
        phase = new Phase.Consumed();
        return transport;
    }

    /** A copy of the peer's static public key, or null while it is unknown. */
    public byte[] remoteStatic() {
        return rs == null ? null : rs.clone();
    }

    /** A copy of the current handshake hash h; after the last message, the channel binding. */
    public byte[] handshakeHash() {
        return symmetric.handshakeHash();
    }

    @Override
    public String toString() {
        return "HandshakeState[" + protocolName() + ", " + role + ", " + describe() + "]";
    }

    private void validate() {
        if (pattern.initiatorPremessages().contains(Token.E) || pattern.responderPremessages().contains(Token.E)) {
            throw new IllegalArgumentException(pattern.name() + ": pre-message ephemeral keys are not supported");
        }
        boolean needsLocal = pattern.needsLocalStatic(role);
        if (needsLocal && s == null) {
            throw new IllegalArgumentException(pattern.name() + " needs this side's static key");
        }
        if (!needsLocal && s != null) {
            throw new IllegalArgumentException(pattern.name() + " does not use this side's static key");
        }
        boolean knowsRemote = pattern.preknowsRemoteStatic(role);
        if (knowsRemote && rs == null) {
            throw new IllegalArgumentException(pattern.name() + " needs the peer's static public key in advance");
        }
        if (!knowsRemote && rs != null) {
            throw new IllegalArgumentException(pattern.name() + " does not take the peer's static key in advance");
        }
        if (rs != null && rs.length != DH_LENGTH) {
            throw new IllegalArgumentException("remote static key must be " + DH_LENGTH + " bytes");
        }
        if (psks.size() != pattern.pskCount()) {
            throw new IllegalArgumentException(pattern.name() + " needs " + pattern.pskCount() + " pre-shared keys, got " + psks.size());
        }
        if (psks.stream().anyMatch(k -> k.length != PSK_LENGTH)) {
            throw new IllegalArgumentException("pre-shared keys must be " + PSK_LENGTH + " bytes");
        }
    }

    private void premessages(List<Token> tokens, Role owner) {
        for (var token : tokens) {
            switch (token) {
                case S -> symmetric.mixHash(owner == role ? s.publicKey() : rs);
                default -> throw new IllegalArgumentException("unsupported pre-message token " + token.spelling());
            }
        }
    }

    /** The "e" token's hashing: MixHash(e), plus MixKey(e) in a PSK handshake (section 9.2). */
    private void mixEphemeral(byte[] publicKey) {
        symmetric.mixHash(publicKey);
        if (pskMode) {
            symmetric.mixKey(publicKey);
        }
    }

    /** The DH tokens and "psk" (section 5.3): the initiator's key comes first in each name. */
    private void mixSecret(Token token) throws NoiseException {
        boolean initiator = role == Role.INITIATOR;
        switch (token) {
            case EE -> mixDh(e, re);
            case ES -> mixDh(initiator ? e : s, initiator ? rs : re);
            case SE -> mixDh(initiator ? s : e, initiator ? re : rs);
            case SS -> mixDh(s, rs);
            case PSK -> symmetric.mixKeyAndHash(psks.get(pskIndex++));
            case E, S -> throw new IllegalArgumentException("not a DH or psk token: " + token);
        }
    }

    private void mixDh(X25519KeyPair local, byte[] remote) throws NoiseException {
        byte[] shared = null;
        try {
            shared = local.dh(remote);
            symmetric.mixKey(shared);
        } catch (CryptoException ex) {
            throw new NoiseException("Noise DH failed: the peer's public key has low order", ex);
        } finally {
            Bytes.zero(shared);
        }
    }

    /** The exact length of the message that writing {@code tokens} and the payload produces. */
    private int messageLength(List<Token> tokens, int payloadLength) {
        boolean keyed = symmetric.hasKey();
        int length = 0;
        for (var token : tokens) {
            switch (token) {
                case E -> {
                    length += DH_LENGTH;
                    keyed |= pskMode;
                }
                case S -> length += DH_LENGTH + (keyed ? CipherState.TAG_LENGTH : 0);
                case EE, ES, SE, SS, PSK -> keyed = true;
            }
        }
        return length + payloadLength + (keyed ? CipherState.TAG_LENGTH : 0);
    }

    private void advance(int index) {
        if (index + 1 < pattern.messages().size()) {
            phase = turn(index + 1);
            return;
        }
        var pair = symmetric.split();
        phase = new Phase.Done(pair[0], pair[1]);
    }

    private Phase turn(int index) {
        boolean initiatorSends = index % 2 == 0;
        return initiatorSends == (role == Role.INITIATOR) ? new Phase.Send(index) : new Phase.Receive(index);
    }

    private void abort() {
        destroy();
        phase = new Phase.Failed();
    }

    private void destroy() {
        symmetric.destroy();
        if (e != null) {
            e.close();
        }
        psks.forEach(Bytes::zero);
        Bytes.zero(re);
    }

    private static byte[] slice(byte[] message, int at, int length) throws NoiseException {
        if (message.length - at < length) {
            throw new NoiseException("handshake message too short");
        }
        return Arrays.copyOfRange(message, at, at + length);
    }

    private String describe() {
        return switch (phase) {
            case Phase.Send(int m) -> "waiting to write message " + m;
            case Phase.Receive(int m) -> "waiting to read message " + m;
            case Phase.Done d -> "finished, not yet split";
            case Phase.Consumed c -> "already split";
            case Phase.Failed f -> "aborted after an error";
        };
    }

    /**
     * Options for a handshake. The static key stays owned by the caller; an ephemeral key set
     * with {@link #ephemeral} is owned (and zeroed) by the handshake.
     */
    public static final class Builder {
        private final HandshakePattern pattern;
        private final Role role;
        private byte[] prologue = new byte[0];
        private X25519KeyPair localStatic;
        private byte[] remoteStatic;
        private List<byte[]> psks = List.of();
        private SecureRandom rng;
        private X25519KeyPair ephemeral;

        private Builder(HandshakePattern pattern, Role role) {
            this.pattern = Objects.requireNonNull(pattern, "pattern");
            this.role = Objects.requireNonNull(role, "role");
        }

        /** Data both sides must agree on, e.g. {@code CrumbHub/1}; null means empty. */
        public Builder prologue(byte[] prologue) {
            this.prologue = prologue == null ? new byte[0] : prologue.clone();
            return this;
        }

        public Builder localStatic(X25519KeyPair localStatic) {
            this.localStatic = localStatic;
            return this;
        }

        /** The peer's static public key, for patterns where it is known in advance (K, N, X, IK, ...). */
        public Builder remoteStatic(byte[] remoteStatic) {
            this.remoteStatic = remoteStatic;
            return this;
        }

        /** One 32-byte key per psk token, in order; null means none. */
        public Builder psks(List<byte[]> psks) {
            this.psks = psks == null ? List.of() : List.copyOf(psks);
            return this;
        }

        /** Source of the ephemeral key. Required. */
        public Builder random(SecureRandom rng) {
            this.rng = rng;
            return this;
        }

        /**
         * Fixes this side's ephemeral key instead of drawing it from the random source. Only for
         * known-answer tests: an ephemeral key used twice breaks the handshake's secrecy.
         */
        Builder ephemeral(X25519KeyPair ephemeral) {
            this.ephemeral = ephemeral;
            return this;
        }

        /** @throws IllegalArgumentException if the keys do not fit the pattern */
        public HandshakeState build() {
            return new HandshakeState(this);
        }
    }
}
