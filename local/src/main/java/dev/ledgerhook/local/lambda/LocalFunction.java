package dev.ledgerhook.local.lambda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A function served locally the way Lambda serves it: its package unzipped into a task root, a
 * fixed number of containers taking invocations from one queue, and a supervisor that replaces a
 * container that dies and stops one that outlives its time-out (failing its invocation, as Lambda
 * does). {@link #killOne()} lets a test kill a container mid-flight.
 */
public final class LocalFunction implements AutoCloseable {

    private static final Duration TIMEOUT_GRACE = Duration.ofSeconds(1);

    private final FunctionSpec spec;
    private final Path taskRoot;
    private final Path logDirectory;
    private final List<Path> runtimeJars;
    private final Consumer<String> lines;
    private final BlockingDeque<Invocation> pending = new LinkedBlockingDeque<>();
    private final List<FunctionContainer> containers = new ArrayList<>();
    private final AtomicInteger started = new AtomicInteger();
    private final Thread supervisor;
    private volatile boolean closed;

    private LocalFunction(FunctionSpec spec, Path taskRoot, Path logDirectory, List<Path> runtimeJars,
                          Consumer<String> lines) {
        this.spec = spec;
        this.taskRoot = taskRoot;
        this.logDirectory = logDirectory;
        this.runtimeJars = runtimeJars;
        this.lines = lines;
        this.supervisor = new Thread(this::supervise, spec.name() + "-supervisor");
        supervisor.setDaemon(true);
    }

    /** Unzips the package under {@code workDirectory} and starts the containers. */
    public static LocalFunction start(FunctionSpec spec, Path workDirectory, Consumer<String> lines) {
        Path taskRoot = unzip(spec.zip(), workDirectory.resolve("functions").resolve(spec.name()));
        Path logs = createDirectories(workDirectory.resolve("logs"));
        clearLogs(logs, spec.name());
        List<Path> runtime = copyRuntimeJars(workDirectory.resolve("runtime").resolve(spec.name()));
        LocalFunction function = new LocalFunction(spec, taskRoot, logs, runtime, lines);
        synchronized (function.containers) {
            for (int i = 0; i < spec.containers(); i++) {
                function.containers.add(function.newContainer());
            }
        }
        function.supervisor.start();
        return function;
    }

    /** Queues an invocation; the future completes when a container answers, fails or dies. */
    public CompletableFuture<Invocation.Result> invoke(byte[] event) {
        Invocation invocation = new Invocation(event);
        if (closed) {
            invocation.complete(new Invocation.ContainerFailed(spec.name() + " is stopping"));
        } else {
            pending.add(invocation);
        }
        return invocation.result();
    }

    /** Waits until every container has initialized and asked for work. */
    public void awaitReady(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (containers) {
                if (containers.stream().allMatch(FunctionContainer::ready)) {
                    return;
                }
            }
            sleep(100);
        }
        throw new IllegalStateException(spec.name() + " did not initialize within " + limit.toSeconds()
                + " s; see " + logDirectory);
    }

    public String name() {
        return spec.name();
    }

    /** Process ids of the running containers. */
    public List<Long> pids() {
        synchronized (containers) {
            return containers.stream().filter(FunctionContainer::alive).map(FunctionContainer::pid).toList();
        }
    }

    /** SIGKILLs one container (the busiest first); the supervisor starts a replacement. */
    public void killOne() {
        synchronized (containers) {
            containers.stream().max(Comparator.comparing(container -> container.current() != null))
                    .ifPresent(FunctionContainer::kill);
        }
    }

    private FunctionContainer newContainer() {
        String id = spec.name() + "-" + started.incrementAndGet();
        return FunctionContainer.start(spec, id, taskRoot, runtimeJars, pending, logDirectory.resolve(id + ".log"),
                line -> lines.accept("[" + id + "] " + line));
    }

    private void supervise() {
        while (!closed) {
            synchronized (containers) {
                for (int i = 0; i < containers.size(); i++) {
                    FunctionContainer container = containers.get(i);
                    String failure = failureOf(container);
                    if (failure != null && !closed) {
                        container.retire(failure);
                        lines.accept("[" + container.id() + "] " + failure + "; starting a new container");
                        containers.set(i, newContainer());
                    }
                }
            }
            sleep(100);
        }
    }

    private String failureOf(FunctionContainer container) {
        if (!container.alive()) {
            return container.exitDescription();
        }
        Invocation current = container.current();
        if (current != null && System.currentTimeMillis() > current.deadlineMillis() + TIMEOUT_GRACE.toMillis()) {
            return "container " + container.id() + ": task timed out after " + spec.timeout().toSeconds() + " s";
        }
        return null;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (containers) {
            containers.forEach(container -> container.retire(spec.name() + " stopped"));
        }
        for (Invocation left = pending.poll(); left != null; left = pending.poll()) {
            left.complete(new Invocation.ContainerFailed(spec.name() + " stopped"));
        }
    }

    /**
     * The runtime interface client and what it needs (ParentWatch stops orphans), copied from this
     * JVM's classpath next to the task root: a rebuild replacing the originals never touches the
     * jars a running container has open.
     */
    private static List<Path> copyRuntimeJars(Path directory) {
        deleteRecursively(directory);
        createDirectories(directory);
        List<Path> copies = new ArrayList<>();
        for (Path jar : runtimeJars()) {
            Path copy = directory.resolve(jar.getFileName());
            try {
                if (Files.isDirectory(jar)) {
                    copies.add(jar);
                } else {
                    Files.copy(jar, copy);
                    copies.add(copy);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not copy " + jar, e);
            }
        }
        return copies;
    }

    private static List<Path> runtimeJars() {
        return Stream.of("com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
                        "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer",
                        "com.amazonaws.services.lambda.runtime.Context",
                        FunctionContainer.PARENT_WATCH)
                .map(LocalFunction::jarOf).distinct().toList();
    }

    private static Path jarOf(String className) {
        try {
            return Path.of(Class.forName(className, false, LocalFunction.class.getClassLoader())
                    .getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (ClassNotFoundException | URISyntaxException e) {
            throw new IllegalStateException("the local runner's classpath lacks " + className, e);
        }
    }

    private static Path unzip(Path zip, Path target) {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException(zip + " is missing: build it first (./mvnw package -DskipTests)");
        }
        deleteRecursively(target);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path file = target.resolve(entry.getName()).normalize();
                if (!file.startsWith(target)) {
                    throw new IllegalStateException("unsafe entry in " + zip + ": " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                } else {
                    Files.createDirectories(file.getParent());
                    Files.copy(in, file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not unzip " + zip, e);
        }
        return target;
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not clear " + directory, e);
        }
    }

    /** Each run starts its containers' logs afresh. */
    private static void clearLogs(Path logs, String function) {
        try (Stream<Path> files = Files.list(logs)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(function + "-")).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not clear " + logs, e);
        }
    }

    private static Path createDirectories(Path directory) {
        try {
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
