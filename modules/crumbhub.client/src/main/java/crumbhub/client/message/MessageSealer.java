package crumbhub.client.message;

import crumbhub.wire.MessageId;

/**
 * Turns the text a user sends into the requests that carry it: the one seam where end-to-end
 * encryption plugs in ({@code crumbhub.client.e2e.E2eClient}: the Double Ratchet per device for
 * direct messages, Sender Keys for rooms). Used by {@code send}, the terminal UI and the daemon.
 */
public interface MessageSealer {
    /**
     * Encrypts {@code text} for {@code target} under message id {@code id}. Blocking: it may ask
     * the server for member lists and keys, and it stores the advanced key state before it
     * returns, so the result must be sent (or the message is simply lost, never a key reused).
     *
     * @throws crumbhub.client.ClientException usage (e.g. text too long), refused (not a member,
     *     the peer has no device that can receive, the server refused), identity (the keys of a
     *     verified contact changed), network
     */
    SealedMessage seal(Target target, String text, MessageId id);

    /**
     * Like {@link #seal(Target, String, MessageId)}, for a message about an earlier one
     * ({@code interaction}: a reply, reaction, edit or delete; null for a plain message). A sealer
     * that cannot carry interactions refuses them (usage).
     */
    default SealedMessage seal(Target target, String text, MessageId id, Interaction interaction) {
        if (interaction == null) {
            return seal(target, text, id);
        }
        throw crumbhub.client.ClientException.usage("this client cannot send a " + interaction.label());
    }
}
