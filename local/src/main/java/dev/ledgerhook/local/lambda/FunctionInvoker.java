package dev.ledgerhook.local.lambda;

import java.util.concurrent.CompletableFuture;

/** Invokes a function with an event; the future completes when the invocation ends, however it ends. */
@FunctionalInterface
public interface FunctionInvoker {

    CompletableFuture<Invocation.Result> invoke(byte[] event);
}
