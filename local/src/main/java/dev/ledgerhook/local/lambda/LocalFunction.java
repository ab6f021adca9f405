package dev.ledgerhook.local.lambda;

import java.io.IOException;
import java.io.UncheckedIOException;
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
public final class LocalFunction implements FunctionInvoker, AutoCloseable {

    private static final Duration TIMEOUT_GRACE = Duration.ofSeconds(1);

    private final FunctionSpec spec;
    private final Path taskRoot;
    private final Path logDirectory;
    private final RuntimeClient runtime;
    private final Consumer<String> lines;
    private final BlockingDeque<Invocation> pending = new LinkedBlockingDeque<>();
    private final List<FunctionContainer> containers = new ArrayList<>();
    private final AtomicInteger started = new AtomicInteger();
    private final Thread supervisor;
    private volatile boolean closed;
    private int failedStarts;
    private volatile String broken;

    private LocalFunction(FunctionSpec spec, Path taskRoot, Path logDirectory, RuntimeClient runtime,
                          Consumer<String> lines) {
        this.spec = spec;
        this.taskRoot = taskRoot;
        this.logDirectory = logDirectory;
        this.runtime = runtime;
        this.lines = lines;
        this.supervisor = new Thread(this::supervise, spec.name() + "-supervisor");
        supervisor.setDaemon(true);
    }

    /** Unzips the package under {@code workDirectory} and starts the containers. */
    public static LocalFunction start(FunctionSpec spec, Path workDirectory, Consumer<String> lines) {
        Path work = workDirectory.toAbsolutePath().normalize(); // containers run in their task root
        Path taskRoot = unzip(spec.zip(), work.resolve("functions").resolve(spec.name()));
        Path logs = LocalFiles.createDirectories(work.resolve("logs"));
        clearLogs(logs, spec.name());
        RuntimeClient runtime = RuntimeClient.copyTo(work.resolve("runtime").resolve(spec.name()));
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
    @Override
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
            if (broken != null) {
                throw new IllegalStateException(spec.name() + " cannot start: " + broken);
            }
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
        return FunctionContainer.start(spec, id, taskRoot, runtime, pending, logDirectory.resolve(id + ".log"),
                line -> lines.accept("[" + id + "] " + line));
    }

    private void supervise() {
        while (!closed) {
            synchronized (containers) {
                for (int i = 0; i < containers.size(); i++) {
                    FunctionContainer container = containers.get(i);
                    String failure = failureOf(container);
                    if (failure != null && !closed && broken == null) {
                        replace(i, container, failure);
                    }
                }
            }
            sleep(100);
        }
    }

    /**
     * Replaces a failed container. One that died before it initialized counts as a failed start;
     * after three in a row the function is broken (a bad package or configuration): no more
     * restarts, and {@link #awaitReady} reports why instead of looping.
     */
    private void replace(int index, FunctionContainer container, String failure) {
        boolean initialized = container.ready();
        container.retire(failure);
        failedStarts = initialized ? 0 : failedStarts + 1;
        if (failedStarts >= 3) {
            broken = failure + "\n" + container.logTail();
            lines.accept("[" + container.id() + "] " + failure + "; " + spec.name() + " failed to start 3 times, not restarting");
            return;
        }
        lines.accept("[" + container.id() + "] " + failure + "; starting a new container");
        containers.set(index, newContainer());
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

    private static Path unzip(Path zip, Path target) {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException(zip + " is missing: build it first (./mvnw package -DskipTests)");
        }
        LocalFiles.deleteRecursively(target);
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

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
