package dev.ledgerhook.teststack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Python virtual environment moto runs in, built on first use from the hash-pinned lock that
 * {@code test-stack/moto} ships ({@code requirements.txt}): {@code python3 -m venv}, then
 * {@code pip install --require-hashes --no-deps}, so exactly the locked files are installed.
 *
 * <p>It lives under {@code ~/.cache/ledgerhook/} (or {@code $XDG_CACHE_HOME}, or
 * {@code -Dledgerhook.moto.home}) in a folder named after the lock's hash: a changed lock gets a
 * new environment, an unchanged one is built once per machine. A file lock keeps two JVMs that
 * start at once from building it over each other; a build cut short is redone (the
 * {@code .complete} marker is written last).
 *
 * <p>Python 3.10 or newer is found as {@code python3} on the PATH, or where
 * {@code LEDGERHOOK_PYTHON} / {@code -Dledgerhook.python} points. Without it, one error says what
 * to install.
 */
public final class MotoEnvironment {

    static final String RESOURCES = "ledgerhook/emulators/moto/";
    private static final int[] MINIMUM_PYTHON = {3, 10};
    private static final long INSTALL_TIMEOUT_MINUTES = 10;

    private final String python;
    private final Path home;

    MotoEnvironment(String python, Path home) {
        this.python = python;
        this.home = home;
    }

    /** The environment as configured on this machine. */
    public static MotoEnvironment configured() {
        String python = System.getProperty("ledgerhook.python", System.getenv("LEDGERHOOK_PYTHON"));
        return new MotoEnvironment(python == null || python.isBlank() ? "python3" : python, defaultHome());
    }

    /** Builds the environment unless it is built already; returns its Python interpreter. */
    public Path ensure() {
        synchronized (MotoEnvironment.class) { // the file lock below is per JVM, not per thread
            return ensureLocked();
        }
    }

    private Path ensureLocked() {
        byte[] lock = resource("requirements.txt");
        Path directory = home.resolve("moto-" + HexFormat.of().formatHex(sha256(lock), 0, 6));
        Path interpreter = interpreterIn(directory);
        try {
            Files.createDirectories(home);
            try (FileChannel channel = FileChannel.open(home.resolve(directory.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock held = channel.lock()) {
                if (!Files.exists(directory.resolve(".complete"))) {
                    build(directory, lock);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build moto's environment in " + directory, e);
        }
        return interpreter;
    }

    /** The launcher script, copied next to the emulator logs so the child runs a plain file. */
    static Path launcher() {
        Path script = EmulatorProcess.logDirectory().resolve("ledgerhook_moto.py").toAbsolutePath();
        try {
            Files.write(script, resource("ledgerhook_moto.py"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return script;
    }

    private void build(Path directory, byte[] lock) throws IOException {
        checkPython();
        deleteRecursively(directory);
        Path log = home.resolve(directory.getFileName() + ".install.log");
        run(List.of(python, "-m", "venv", directory.toString()), log,
                "'" + python + " -m venv' failed: install Python's venv module (Debian/Ubuntu: apt-get install python3-venv)");
        Path requirements = directory.resolve("requirements.txt");
        Files.write(requirements, lock);
        run(List.of(interpreterIn(directory).toString(), "-m", "pip", "install", "--disable-pip-version-check",
                "--no-input", "--require-hashes", "--no-deps", "-r", requirements.toString()), log,
                "installing moto from the lock failed (needs PyPI)");
        Files.writeString(directory.resolve(".complete"), "built from requirements.txt\n");
    }

    /** Fails with what to install unless {@link #python} runs and is new enough. */
    void checkPython() {
        String missing = "moto, the DynamoDB emulator of the test stack, needs Python " + MINIMUM_PYTHON[0] + "."
                + MINIMUM_PYTHON[1] + " or newer with its venv module";
        String install = ": install it (Debian/Ubuntu: apt-get install python3 python3-venv; macOS: brew install python),"
                + " or point LEDGERHOOK_PYTHON at one";
        String version;
        try {
            Process process = new ProcessBuilder(python, "-c",
                    "import sys; print('%d.%d' % sys.version_info[:2])").redirectErrorStream(true).start();
            version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(missing + "; '" + python + "' did not run (" + version + ")" + install);
            }
        } catch (IOException notFound) {
            throw new IllegalStateException(missing + "; none found as '" + python + "'" + install, notFound);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking for Python", e);
        }
        String[] parts = version.split("\\.");
        int major = Integer.parseInt(parts[0]);
        int minor = Integer.parseInt(parts[1]);
        if (major < MINIMUM_PYTHON[0] || (major == MINIMUM_PYTHON[0] && minor < MINIMUM_PYTHON[1])) {
            throw new IllegalStateException(missing + "; '" + python + "' is Python " + version + install);
        }
    }

    private static void run(List<String> command, Path log, String failure) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (!process.waitFor(INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(failure + ": no answer within " + INSTALL_TIMEOUT_MINUTES
                        + " minutes; see " + log);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(failure + "; see " + log + ":\n" + tail(log));
        }
    }

    static Path interpreterIn(Path venv) {
        Path windows = venv.resolve("Scripts").resolve("python.exe");
        return Files.exists(windows) ? windows : venv.resolve("bin").resolve("python");
    }

    private static Path defaultHome() {
        String configured = System.getProperty("ledgerhook.moto.home");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache == null || cache.isBlank() ? Path.of(System.getProperty("user.home"), ".cache") : Path.of(cache);
        return base.resolve("ledgerhook");
    }

    static byte[] resource(String name) {
        try (InputStream in = MotoEnvironment.class.getClassLoader().getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCES + name
                        + ": build the test-stack modules first (./mvnw install)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - 2000));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(directory)) {
            walk.forEach(paths::add);
        }
        paths.sort(Comparator.reverseOrder());
        for (Path path : paths) {
            Files.delete(path);
        }
    }
}
