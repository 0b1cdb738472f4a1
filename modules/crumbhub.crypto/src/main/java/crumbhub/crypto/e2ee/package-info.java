/**
 * Helpers shared by the end-to-end packages ({@code identity}, {@code pqxdh}, {@code ratchet},
 * {@code group}): the symmetric chain step and message-key expansion. Their binary encodings use
 * {@link crumbhub.crypto.binary}. Not exported: nothing outside {@code crumbhub.crypto} depends on
 * these types.
 */
package crumbhub.crypto.e2ee;
