package dev.ledgerhook.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import dev.ledgerhook.teststack.EmulatorProcess;

/**
 * How the local default runs. From the command line, {@code ./run-local [--data-dir <dir>]
 * [--ingest-containers n] [--worker-concurrency n] [--quiet]} on the fixed ports README gives
 * (8080, 8089, 8000, 9324); in-process, on free ports.
 */
public record LocalOptions(Optional<Path> dataDirectory, int ingestContainers, int workerConcurrency,
                           int httpPort, int simulatorPort, int dynamoDbPort, int sqsPort, Consumer<String> console,
                           FunctionExtras functionExtras) {

    /**
     * What a load driver adds to both functions' containers beyond the template: environment
     * variables (settings the template leaves at their defaults) and classpath entries (e.g. an AWS
     * SDK interceptor injecting faults). Never part of a function.zip; empty for ./run-local.
     */
    public record FunctionExtras(Map<String, String> environment, List<Path> classpath) {

        public static final FunctionExtras NONE = new FunctionExtras(Map.of(), List.of());

        public FunctionExtras {
            environment = Map.copyOf(environment);
            classpath = List.copyOf(classpath);
        }
    }

    /** The same options with {@code extras} added to the functions' containers. */
    public LocalOptions withFunctionExtras(FunctionExtras extras) {
        return new LocalOptions(dataDirectory, ingestContainers, workerConcurrency, httpPort, simulatorPort, dynamoDbPort,
                sqsPort, console, extras);
    }

    static final String USAGE = """
            usage: ./run-local [--data-dir <dir>] [--ingest-containers <n>] [--worker-concurrency <n>] [--quiet]
              --data-dir <dir>           keep state on disk in <dir> (tables, queues, messages, the simulator's
                                         companies) and find it again next time; default: in memory
              --ingest-containers <n>    ingest function containers (default 2)
              --worker-concurrency <n>   the event source mapping's maximum concurrency = worker containers (default 2)
              --quiet                    do not echo outcomes; logs stay under target/local/logs/""";

    static LocalOptions parse(List<String> args) {
        Optional<Path> data = Optional.empty();
        int ingest = 2;
        int worker = 2;
        boolean quiet = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--data-dir" -> data = Optional.of(Path.of(value(args, ++i, arg)));
                case "--ingest-containers" -> ingest = count(value(args, ++i, arg), arg);
                case "--worker-concurrency" -> worker = count(value(args, ++i, arg), arg);
                case "--quiet" -> quiet = true;
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        return new LocalOptions(data, ingest, worker, 8080, 8089, 8000, 9324, new ConsoleLog(quiet),
                FunctionExtras.NONE);
    }

    /** For tests and load drivers: in memory, on free ports, the functions' output to {@code console}. */
    public static LocalOptions onFreePorts(int ingestContainers, int workerConcurrency, Consumer<String> console) {
        return new LocalOptions(Optional.empty(), ingestContainers, workerConcurrency, EmulatorProcess.freePort(),
                EmulatorProcess.freePort(), EmulatorProcess.freePort(), EmulatorProcess.freePort(), console,
                FunctionExtras.NONE);
    }

    private static String value(List<String> args, int at, String option) {
        if (at >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(at);
    }

    private static int count(String value, String option) {
        try {
            int count = Integer.parseInt(value);
            if (count >= 1 && count <= 16) {
                return count;
            }
        } catch (NumberFormatException notANumber) {
            // falls through to the error below
        }
        throw new IllegalArgumentException(option + " takes a number from 1 to 16, not " + value);
    }
}
