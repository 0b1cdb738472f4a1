package crumbhub.server.domain;

/**
 * A one-time prekey as the server keeps it: its id (from inside the encoding, checked by
 * {@link KeyCheck}) and the encoding the device published. Public key material only.
 */
public record OneTimeKey(int id, byte[] key) {
    @Override
    public boolean equals(Object o) {
        return o instanceof OneTimeKey k && id == k.id && java.util.Arrays.equals(key, k.key);
    }

    @Override
    public int hashCode() {
        return 31 * id + java.util.Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "OneTimeKey[" + id + "]";
    }
}
