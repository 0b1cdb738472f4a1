/**
 * The one big-endian binary reader and writer of CrumbHub, shared by every encoding in the tree:
 * the wire frames (docs/protocol.md §2), the end-to-end keys and messages (docs/crypto.md), the
 * client's end-to-end records and the server's store records and snapshots.
 *
 * <p>{@link crumbhub.crypto.binary.BinaryReader} reads untrusted bytes: it checks every length
 * against the bytes left and against the caller's bound before it allocates, rejects invalid
 * UTF-8, and reports each failure as the caller's own exception type through a
 * {@link crumbhub.crypto.binary.BinaryReader.Failure} (one mapping per layer: a malformed frame,
 * a {@code CryptoException}, a corrupt store record). {@link crumbhub.crypto.binary.BinaryWriter}
 * writes into a growable array, into a caller's {@code ByteBuffer}, or only counts, so that an
 * encoding's length always comes from the code that writes it. {@link crumbhub.crypto.binary.Utf8}
 * is strict UTF-8 without intermediate arrays.
 *
 * <p>The field helpers are the same on both sides: {@code u8}, {@code u16}, {@code u32},
 * {@code u64} (unsigned integers held in Java ints and longs bit for bit), {@code u31} (a u32
 * whose top bit must be clear), {@code flag} (0 or 1), {@code fixed} (bytes of a known length),
 * {@code bytes8/16/32} and {@code str8/16} (a u8, u16 or u32 length, then bytes or UTF-8).
 * It lives in the lowest module, which depends on nothing, so that every module can use it.
 */
package crumbhub.crypto.binary;
