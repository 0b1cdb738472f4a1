/**
 * Helpers shared by the end-to-end packages ({@code identity}, {@code pqxdh}, {@code ratchet},
 * {@code group}): bounded binary encodings, the symmetric chain step and message-key expansion.
 * Not exported: nothing outside {@code crumbhub.crypto} depends on these types.
 */
package crumbhub.crypto.e2ee;
