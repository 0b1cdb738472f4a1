/**
 * Device identities for end-to-end encryption: an Ed25519 signing key and an X25519 key per
 * device ({@link crumbhub.crypto.identity.IdentityKeys}), their public half
 * ({@link crumbhub.crypto.identity.IdentityPublicKey}), and the safety number two users compare
 * ({@link crumbhub.crypto.identity.SafetyNumber}). Pure: randomness is passed in, no I/O.
 */
package crumbhub.crypto.identity;
