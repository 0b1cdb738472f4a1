/**
 * Account identities (docs/crypto.md "Account identity"): one hybrid Ed25519 + ML-DSA-65 signing
 * key per account ({@link crumbhub.crypto.account.AccountKeyPair}, public half
 * {@link crumbhub.crypto.account.AccountPublicKey}) that signs a
 * {@link crumbhub.crypto.account.DeviceCertificate} for each approved device; the
 * {@link crumbhub.crypto.account.ApprovalCode} a pending device shows; and the
 * {@link crumbhub.crypto.account.RecoveryEscrow} that keeps the account key under the recovery
 * code. Pure: randomness is passed in, no I/O.
 */
package crumbhub.crypto.account;
