package crumbhub.server.domain;

import java.util.LinkedHashMap;

/**
 * A device of a user: bound to one Noise static key, authenticated on resume by a token of
 * which only the SHA-256 is kept. Mutable only through {@link State#apply}; owned by the core thread.
 */
public final class Device {
    private final User user;
    private final int id;
    private final String name;
    private final byte[] publicKey;
    byte[] tokenHash;
    private final long createdMs;
    long lastSeenMs;
    boolean revoked;
    long cursor;
    final MessageQueue mailbox = new MessageQueue();
    /** End-to-end keys (protocol §6), null until the device publishes them; the identity never changes after that. */
    byte[] identity;
    byte[] signedPreKey;
    byte[] kemPreKey;
    /** The account's certificate of this device (protocol §7), empty until an approved device publishes one. */
    byte[] certificate = new byte[0];
    /** One-time prekeys not handed out yet, oldest first. */
    final LinkedHashMap<Integer, OneTimeKey> oneTimePreKeys = new LinkedHashMap<>();
    /** Signed one-time ML-KEM prekeys not handed out yet, oldest first (protocol §6); emptied on revocation. */
    final LinkedHashMap<Integer, OneTimeKey> oneTimeKemPreKeys = new LinkedHashMap<>();

    Device(User user, int id, String name, byte[] publicKey, byte[] tokenHash, long createdMs, long cursor) {
        this.user = user;
        this.id = id;
        this.name = name;
        this.publicKey = publicKey;
        this.tokenHash = tokenHash;
        this.createdMs = createdMs;
        this.lastSeenMs = createdMs;
        this.cursor = cursor;
    }

    public User user() { return user; }
    public String userName() { return user.name(); }
    public int id() { return id; }
    public String name() { return name; }
    public long createdMs() { return createdMs; }
    public long lastSeenMs() { return lastSeenMs; }
    public boolean revoked() { return revoked; }

    /** The highest seq this device acknowledged. */
    public long cursor() { return cursor; }

    /** The unacknowledged messages for this device, oldest first. Read-only for callers. */
    public MessageQueue mailbox() { return mailbox; }

    /** The Noise static public key; callers must not modify it. */
    public byte[] publicKey() { return publicKey; }

    byte[] tokenHash() { return tokenHash; }

    /** Whether the device has published end-to-end keys. */
    public boolean hasKeys() { return identity != null; }

    /** The encoded end-to-end identity public key, or null; callers must not modify it. */
    public byte[] identity() { return identity; }

    /** The encoded signed X25519 prekey, or null; callers must not modify it. */
    public byte[] signedPreKey() { return signedPreKey; }

    /** The encoded signed ML-KEM prekey, or null; callers must not modify it. */
    public byte[] kemPreKey() { return kemPreKey; }

    /** The account's certificate of this device as published, empty if none; callers must not modify it. */
    public byte[] certificate() { return certificate; }

    /** One-time prekeys left in the pool. */
    public int oneTimePreKeyCount() { return oneTimePreKeys.size(); }

    /** One-time ML-KEM prekeys left in the pool. */
    public int oneTimeKemPreKeyCount() { return oneTimeKemPreKeys.size(); }

    @Override
    public String toString() {
        return "Device[" + user.name() + "/" + id + (revoked ? ", revoked" : "") + "]";
    }
}
