/**
 * The Double Ratchet (Signal's "The Double Ratchet Algorithm", revision 1, section 3 without header
 * encryption) over X25519, with KDF_RK = HKDF-SHA256, KDF_CK = HMAC-SHA256 and AES-256-GCM message
 * encryption. Decryption is transactional: it works on a copy of the state and commits only when
 * the message authenticates. Pure: randomness is passed in, no I/O, no clock.
 */
package crumbhub.crypto.ratchet;
