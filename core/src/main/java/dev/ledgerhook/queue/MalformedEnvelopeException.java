package dev.ledgerhook.queue;

/** A queue message that is not a well-formed envelope: poison, sent to the DLQ with this reason. */
public class MalformedEnvelopeException extends Exception {

    public MalformedEnvelopeException(String reason) {
        super(reason);
    }
}
