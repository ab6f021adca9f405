package dev.ledgerhook.teststack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Reads an emulator's classpath from the resource its runtime module wrote at build time
 * ({@code test-stack/elasticmq}): Maven resolved every entry from
 * Maven Central; nothing is downloaded here.
 */
final class EmulatorClasspath {

    private EmulatorClasspath() {
    }

    static List<String> jars(String name) {
        return entries(name).stream().filter(entry -> entry.endsWith(".jar")).toList();
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
