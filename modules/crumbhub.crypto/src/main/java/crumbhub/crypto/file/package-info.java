/**
 * End-to-end encrypted file attachments (docs/crypto.md "File attachments"): a file is sealed
 * under its own random key in fixed-size chunks, with the STREAM construction of Hoang,
 * Reyhanitabar, Rogaway and Vizar ("Online authenticated-encryption and its nonce-reuse
 * misuse-resistance", 2015) over the JDK's AES-256-GCM. Pure: randomness is passed in, no I/O.
 */
package crumbhub.crypto.file;
