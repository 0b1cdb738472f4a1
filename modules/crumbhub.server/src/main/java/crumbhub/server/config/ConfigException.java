package crumbhub.server.config;

/** An invalid flag, environment variable or configuration file entry; the message is one line for the operator. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
