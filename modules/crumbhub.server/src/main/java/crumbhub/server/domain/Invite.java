package crumbhub.server.domain;

/** A registration invite, known only by the SHA-256 of its code. Owned by the core thread. */
public final class Invite {
    private final byte[] codeHash;
    private final int maxUses;
    int uses;
    private final long expiresMs;
    private final long createdMs;

    Invite(byte[] codeHash, int maxUses, long expiresMs, long createdMs) {
        this.codeHash = codeHash;
        this.maxUses = maxUses;
        this.expiresMs = expiresMs;
        this.createdMs = createdMs;
    }

    byte[] codeHash() { return codeHash; }
    public int maxUses() { return maxUses; }
    public int uses() { return uses; }
    public long expiresMs() { return expiresMs; }
    public long createdMs() { return createdMs; }

    public boolean usableAt(long nowMs) {
        return uses < maxUses && nowMs < expiresMs;
    }
}
