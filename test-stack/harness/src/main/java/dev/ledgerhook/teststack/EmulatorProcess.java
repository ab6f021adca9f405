package dev.ledgerhook.teststack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One emulator running as a child process on a loopback port: a JVM with its own classpath
 * (ElasticMQ) or moto's Python server. Its output goes to a log file under
 * {@code target/emulators/}. {@link #close()} stops it; if this JVM dies first, the child sees its
 * standard input end and exits ({@link ParentWatch}, and its Python twin in ledgerhook_moto.py).
 */
public final class EmulatorProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;

    private EmulatorProcess(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts {@code mainClass} in a child JVM with the classpath recorded in the resource
     * {@code ledgerhook/emulators/{classpathName}.classpath}, under {@link ParentWatch}, and waits
     * until the port accepts connections.
     */
    public static EmulatorProcess startJvm(String name, String classpathResource, List<String> jvmOptions,
                                           String mainClass, List<String> args, int port) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(ownLocation() + java.io.File.pathSeparator + String.join(java.io.File.pathSeparator,
                EmulatorClasspath.jars(classpathResource)));
        command.add(ParentWatch.class.getName());
        command.add(mainClass);
        command.addAll(args);
        return start(name, command, port, START_TIMEOUT);
    }

    /**
     * Starts {@code command} as a child process and waits until the port accepts connections. The
     * child's standard input is a pipe this JVM never writes: it reaches end-of-file when this JVM
     * dies, the signal every emulator here exits on.
     */
    public static EmulatorProcess start(String name, List<String> command, int port, Duration startTimeout) {
        Path log = logDirectory().resolve(name + ".log");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            EmulatorProcess emulator = new EmulatorProcess(name, process, port, log);
            emulator.awaitPort(startTimeout);
            return emulator;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    public int port() {
        return port;
    }

    public String name() {
        return name;
    }

    /** A free loopback port, for emulators started on no fixed port. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path logDirectory() {
        Path directory = Path.of("target", "emulators");
        try {
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitPort(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " during start-up: "
                        + tail());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(100);
            }
        }
        close();
        throw new IllegalStateException(name + " did not listen on port " + port + " within " + timeout + ": "
                + tail());
    }

    private String tail() {
        try (InputStream in = Files.newInputStream(log)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.substring(Math.max(0, text.length() - 2000));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    /** The emulator's log file (under {@code target/emulators/}). */
    public Path log() {
        return log;
    }

    /** Kills the emulator at once (SIGKILL), as a crash would: for tests of what survives one. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String ownLocation() {
        try {
            return Path.of(ParentWatch.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an emulator", e);
        }
    }
}
