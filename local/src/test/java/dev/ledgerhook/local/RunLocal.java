package dev.ledgerhook.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./run-local} started as a user starts it, from the repository root, its console kept;
 * stopped as Ctrl-C stops it (SIGINT).
 */
final class RunLocal implements AutoCloseable {

    static final Path ROOT = Path.of(System.getProperty("build.repository.root", "..")).toAbsolutePath().normalize();
    static final List<Integer> PORTS = List.of(8080, 8089, 8000, 9324);

    private final Process process;
    private final List<String> console = new ArrayList<>();

    private RunLocal(Process process) {
        this.process = process;
        Thread reader = new Thread(this::read, "run-local-console");
        reader.setDaemon(true);
        reader.start();
    }

    static RunLocal start(String... args) throws IOException {
        for (int port : PORTS) {
            if (listening(port)) {
                throw new IllegalStateException("port " + port + " is taken: is a local default already running? Stop it first");
            }
        }
        List<String> command = new ArrayList<>(List.of("./run-local"));
        command.addAll(List.of(args));
        return new RunLocal(new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start());
    }

    /** Waits for a console line containing {@code text}; fails with the console if the process ends first. */
    String await(String text, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (console) {
                for (String line : console) {
                    if (line.contains(text)) {
                        return line;
                    }
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError("run-local exited with " + process.exitValue() + ":\n" + console());
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + text + "' from run-local within " + limit + ":\n" + console());
    }

    String console() {
        synchronized (console) {
            return String.join("\n", console);
        }
    }

    /** Every JVM run-local started: emulators and function containers. */
    List<ProcessHandle> descendants() {
        return process.descendants().toList();
    }

    /** Ctrl-C; returns the exit code. */
    int interrupt() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("run-local did not stop within 60 s of Ctrl-C:\n" + console());
        }
        return process.exitValue();
    }

    static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    private void read() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                System.out.println("[run-local] " + line);
                synchronized (console) {
                    console.add(line);
                }
            }
        } catch (IOException ended) {
            // the process is gone
        }
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            List<ProcessHandle> children = descendants();
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
