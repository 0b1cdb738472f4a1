/**
 * PQXDH key agreement (Signal's "The PQXDH Key Agreement Protocol", revision 3) with curve X25519,
 * hash SHA-256, pqkem ML-KEM-768 and info {@value crumbhub.crypto.pqxdh.Pqxdh#INFO}: prekey
 * generation and bundles, bundle verification, the initiator's and the responder's computation.
 * Prekeys are signed with the device's separate Ed25519 identity key instead of XEdDSA.
 * Pure: randomness is passed in, no I/O.
 */
package crumbhub.crypto.pqxdh;
