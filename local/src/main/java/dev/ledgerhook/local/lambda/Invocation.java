package dev.ledgerhook.local.lambda;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One call of a function, as Lambda hands it to a container: a request id, the event, a deadline,
 * and the result the caller waits for.
 */
public final class Invocation {

    /** How an invocation ended. */
    public sealed interface Result {
    }

    /** The handler returned; {@code body} is its serialized answer. */
    public record Response(byte[] body) implements Result {
    }

    /** The handler threw, or the runtime reported an error ({@code Lambda-Runtime-Function-Error-Type}). */
    public record FunctionError(String type, String body) implements Result {
    }

    /** The container died, or was stopped at the deadline, before it answered. */
    public record ContainerFailed(String reason) implements Result {
    }

    private final String requestId = UUID.randomUUID().toString();
    private final byte[] event;
    private final CompletableFuture<Result> result = new CompletableFuture<>();
    private volatile long deadlineMillis;

    Invocation(byte[] event) {
        this.event = event;
    }

    public String requestId() {
        return requestId;
    }

    byte[] event() {
        return event;
    }

    /** The deadline runs from the moment a container takes the invocation, as in Lambda. */
    long deadlineMillis() {
        return deadlineMillis;
    }

    void startedWith(long deadline) {
        this.deadlineMillis = deadline;
    }

    public CompletableFuture<Result> result() {
        return result;
    }

    void complete(Result outcome) {
        result.complete(outcome);
    }
}
