package dev.ledgerhook.local.lambda;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A function as the template declares it: its package, handler, memory, timeout and environment,
 * plus how many containers run it locally (Lambda's concurrency).
 *
 * @param name        the function's name, used for its logs and its ARN
 * @param zip         the deployment package, {@code function.zip}
 * @param handler     {@code class::method}, as in the template
 * @param memoryMb    the memory size; the heap is sized from it as in Lambda
 * @param timeout     the function time-out; a container still busy after it is stopped
 * @param environment the function's environment variables
 * @param containers  how many containers serve invocations at once
 * @param extraClasspath jars or directories appended to the containers' classpath, never part of the
 *                       package: load drivers add fault injection this way (empty in normal runs)
 */
public record FunctionSpec(String name, Path zip, String handler, int memoryMb, Duration timeout,
                           Map<String, String> environment, int containers, List<Path> extraClasspath) {

    public FunctionSpec(String name, Path zip, String handler, int memoryMb, Duration timeout,
                        Map<String, String> environment, int containers) {
        this(name, zip, handler, memoryMb, timeout, environment, containers, List.of());
    }

    public FunctionSpec {
        environment = Map.copyOf(environment);
        extraClasspath = List.copyOf(extraClasspath);
        if (containers < 1) {
            throw new IllegalArgumentException("a function needs at least one container");
        }
    }

    /** The heap a Lambda container of this memory size gets: about 85% of it. */
    public int heapMb() {
        return memoryMb * 85 / 100;
    }
}
