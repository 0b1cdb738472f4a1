package crumbhub.client.home;

/**
 * Where the store's passphrase comes from when {@code store.key} is wrapped: the environment
 * or the terminal. Called on the command's thread; may block on the terminal.
 */
@FunctionalInterface
public interface PassphraseSource {
    /**
     * The passphrase; the caller zeroes the array.
     *
     * @throws crumbhub.client.ClientException (local store) if none can be had
     */
    char[] passphrase(String prompt);
}
