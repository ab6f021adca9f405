package dev.ledgerhook.local.lambda;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingDeque;
import java.util.function.Consumer;

/**
 * One container of a function: a JVM running the function package with the AWS Lambda runtime
 * interface client, exactly as Lambda's managed Java runtime does, talking to its own
 * {@link RuntimeApi}. Its output goes to a log file, and each line to a listener.
 */
final class FunctionContainer {

    static final String RUNTIME_CLIENT = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    static final String PARENT_WATCH = "dev.ledgerhook.teststack.ParentWatch";

    private final String id;
    private final RuntimeApi api;
    private final Process process;
    private final Path log;

    private FunctionContainer(String id, RuntimeApi api, Process process, Path log) {
        this.id = id;
        this.api = api;
        this.process = process;
        this.log = log;
    }

    static FunctionContainer start(FunctionSpec spec, String id, Path taskRoot, RuntimeClient runtime,
                                   BlockingDeque<Invocation> pending, Path log, Consumer<String> lines) {
        try {
            RuntimeApi api = new RuntimeApi(arn(spec), spec.timeout().toMillis(), pending);
            ProcessBuilder builder = new ProcessBuilder(command(spec, taskRoot, runtime))
                    .directory(taskRoot.toFile())
                    .redirectErrorStream(true);
            builder.environment().putAll(environment(spec, id, api, taskRoot));
            Process process = builder.start();
            pump(process, id, log, lines);
            return new FunctionContainer(id, api, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start a container of " + spec.name(), e);
        }
    }

    String id() {
        return id;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    boolean ready() {
        return api.polled();
    }

    Invocation current() {
        return api.current();
    }

    String exitDescription() {
        String initError = api.initError();
        return "container " + id + " exited with " + process.exitValue() + (initError == null ? "" : ": " + initError);
    }

    /** The last lines of the container's log, for start-up failures. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    /** SIGKILL, as Lambda stops a container at its time-out or a crash does. */
    void kill() {
        process.destroyForcibly();
    }

    /** Closes the Runtime API and fails the invocation in flight, if any, with {@code reason}. */
    void retire(String reason) {
        kill();
        api.close();
        api.abandonCurrent(new Invocation.ContainerFailed(reason));
    }

    private static List<String> command(FunctionSpec spec, Path taskRoot, RuntimeClient runtime) {
        List<String> classpath = new ArrayList<>();
        classpath.add(taskRoot.toString());
        classpath.add(taskRoot.resolve("lib") + "/*");
        runtime.classpath().forEach(jar -> classpath.add(jar.toString()));
        spec.extraClasspath().forEach(extra -> classpath.add(extra.toAbsolutePath().toString()));
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + spec.heapMb() + "m", "-XX:+UseSerialGC", "-Xshare:auto", runtime.nativeLibraryOption(),
                "-cp", String.join(java.io.File.pathSeparator, classpath),
                PARENT_WATCH, RUNTIME_CLIENT, spec.handler());
    }

    private static Map<String, String> environment(FunctionSpec spec, String id, RuntimeApi api, Path taskRoot) {
        Map<String, String> env = new HashMap<>(spec.environment());
        env.put("AWS_LAMBDA_RUNTIME_API", api.address());
        env.put("_HANDLER", spec.handler());
        env.put("AWS_LAMBDA_FUNCTION_NAME", spec.name());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(spec.memoryMb()));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + spec.name());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", id);
        env.put("LAMBDA_RUNTIME_DIR", taskRoot.toString());
        return env;
    }

    static String arn(FunctionSpec spec) {
        return "arn:aws:lambda:us-east-1:000000000000:function:" + spec.name();
    }

    /** Copies the container's output to its log file and hands each line to the listener. */
    private static void pump(Process process, String id, Path log, Consumer<String> lines) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
                 Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                         StandardOpenOption.APPEND)) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    out.write(line);
                    out.write('\n');
                    out.flush();
                    lines.accept(line);
                }
            } catch (IOException ended) {
                // the container is gone; its supervisor notices
            }
        }, "output-" + id);
        thread.setDaemon(true);
        thread.start();
    }
}
