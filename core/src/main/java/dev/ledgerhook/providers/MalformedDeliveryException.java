package dev.ledgerhook.providers;

/** A verified delivery whose content Ledgerhook cannot turn into events (answered 400). */
public class MalformedDeliveryException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedDeliveryException(String reason) {
        super(reason);
    }
}
