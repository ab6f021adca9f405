package dev.ledgerhook.teststack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;

/**
 * Reads an emulator's classpath from the resource its runtime module wrote at build time
 * ({@code test-stack/dynamodb-local}, {@code test-stack/elasticmq}): Maven resolved every entry from
 * Maven Central; nothing is downloaded here.
 */
final class EmulatorClasspath {

    private EmulatorClasspath() {
    }

    static List<String> jars(String name) {
        return entries(name).stream().filter(entry -> entry.endsWith(".jar")).toList();
    }

    /** Copies the native libraries of the classpath into one directory, for {@code -Dsqlite4java.library.path}. */
    static Path nativeLibraries(String name) {
        Path directory = EmulatorProcess.logDirectory().resolve(name + "-natives");
        try {
            Files.createDirectories(directory);
            for (String entry : entries(name)) {
                if (entry.endsWith(".so") || entry.endsWith(".dylib") || entry.endsWith(".dll")) {
                    Path source = Path.of(entry);
                    Files.copy(source, directory.resolve(source.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return directory.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> entries(String name) {
        String resource = "ledgerhook/emulators/" + name + ".classpath";
        try (InputStream in = EmulatorClasspath.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource
                        + ": build the test-stack modules first (./mvnw install)");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return Arrays.asList(text.split(java.io.File.pathSeparator));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
