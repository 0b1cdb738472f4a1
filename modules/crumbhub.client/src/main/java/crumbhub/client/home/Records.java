package crumbhub.client.home;

import crumbhub.client.ClientException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The plaintext layout inside sealed files: a record version byte, then fields written with
 * {@link DataOutputStream}. A reader rejects unknown versions and trailing bytes.
 */
final class Records {
    private Records() {}

    interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    static byte[] encode(int version, Writer writer) {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            out.writeByte(version);
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    interface VersionedReader<T> {
        T read(DataInputStream in, int version) throws IOException;
    }

    static <T> T decode(byte[] plaintext, int version, String name, Reader<T> reader) {
        return decode(plaintext, version, version, name, (in, v) -> reader.read(in));
    }

    /** Decodes any record version from {@code oldest} to {@code newest}; the reader gets the version. */
    static <T> T decode(byte[] plaintext, int oldest, int newest, String name, VersionedReader<T> reader) {
        try (var in = new DataInputStream(new ByteArrayInputStream(plaintext))) {
            int v = in.readUnsignedByte();
            if (v < oldest || v > newest) {
                throw ClientException.store(name + " has record version " + v
                        + ", which this client does not know; use a newer crumbhub-client");
            }
            T value = reader.read(in, v);
            if (in.available() != 0) {
                throw ClientException.store(name + " is damaged (trailing bytes)");
            }
            return value;
        } catch (IOException | IllegalArgumentException e) {
            throw ClientException.store(name + " is damaged (" + e.getMessage() + ")", e);
        }
    }

    static byte[] readBytes(DataInputStream in, int length) throws IOException {
        var b = new byte[length];
        in.readFully(b);
        return b;
    }
}
