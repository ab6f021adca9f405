package dev.ledgerhook.secrets;

/** A secret reference that cannot be resolved now. The message names the reference, never a value. */
public class SecretUnavailableException extends Exception {

    public SecretUnavailableException(String message) {
        super(message);
    }

    public SecretUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
