/**
 * Sender Keys for rooms, as Signal and WhatsApp use them for groups: each sending device has, per
 * room, a symmetric chain (HMAC-SHA256 steps, AES-256-GCM message keys) and an Ed25519 key that
 * signs every message; the chain's state goes to each member device over the pairwise Double
 * Ratchet sessions as a {@link crumbhub.crypto.group.SenderKeyDistribution}. Rotation is a new
 * chain id. Pure: randomness is passed in, no I/O.
 */
package crumbhub.crypto.group;
