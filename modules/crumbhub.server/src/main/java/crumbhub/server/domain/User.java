package crumbhub.server.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/** An account. Mutable only through {@link State#apply}; owned by the core thread. */
public final class User {
    private final String name;
    String passwordHash;
    private final long createdMs;
    boolean banned;
    int nextDeviceId = 1;
    final TreeMap<Integer, Device> devices = new TreeMap<>();
    /** Rooms where this user is a member or invited. */
    final TreeSet<String> rooms = new TreeSet<>();
    /** The account identity (protocol §7), stored as published; empty until the account has one. */
    byte[] accountIdentity = new byte[0];
    /** The account key sealed under the recovery code (protocol §7); empty until published. */
    byte[] escrow = new byte[0];
    /** The most recent message ids this user sent, for de-duplication (protocol §4). */
    final SentLog sent = new SentLog(State.DEDUP_WINDOW);
    /** {@link Message#charge()} of this user's messages that some device has yet to acknowledge. Derived, not stored. */
    long waitingBytes;

    User(String name, String passwordHash, long createdMs) {
        this.name = name;
        this.passwordHash = passwordHash;
        this.createdMs = createdMs;
    }

    public String name() { return name; }

    /** The published account identity, empty if none; callers must not modify it. */
    public byte[] accountIdentity() { return accountIdentity; }

    /** The published recovery escrow, empty if none; callers must not modify it. */
    public byte[] escrow() { return escrow; }
    public long createdMs() { return createdMs; }
    public boolean banned() { return banned; }

    /** Bytes of the messages this user sent that the server still keeps for some device (the sender quota). */
    public long waitingBytes() { return waitingBytes; }

    /** The encoded password hash, for verification off the core thread. */
    public String passwordHash() { return passwordHash; }

    /** The device with this id, revoked or not, or null. */
    public Device device(int id) {
        return devices.get(id);
    }

    /** All devices including revoked ones, by id. */
    public List<Device> allDevices() {
        return List.copyOf(devices.values());
    }

    /** Devices that are not revoked, by id. */
    public List<Device> activeDevices() {
        var out = new ArrayList<Device>(devices.size());
        for (Device d : devices.values()) {
            if (!d.revoked) {
                out.add(d);
            }
        }
        return out;
    }

    /** The active device bound to this static key, or null. */
    public Device deviceWithKey(byte[] publicKey) {
        for (Device d : devices.values()) {
            if (!d.revoked && java.security.MessageDigest.isEqual(d.publicKey(), publicKey)) {
                return d;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "User[" + name + "]";
    }
}
