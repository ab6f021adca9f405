package dev.ledgerhook.providers;

/**
 * The delivery could not be shown to come from the provider (answered 401). The message names what
 * failed and never contains a secret, an expected signature or the header value that was sent.
 */
public class SignatureException extends Exception {
    private static final long serialVersionUID = 1L;

    public SignatureException(String reason) {
        super(reason);
    }
}
