package dev.ledgerhook.local.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What containers run their function with: the AWS Lambda runtime interface client's jars and its
 * JNI library, copied next to the task roots so a rebuild never replaces files a container has open.
 * The client would otherwise unpack its library to the fixed path {@code /tmp/.libaws-lambda-jni.so}
 * at every start, and containers starting together would overwrite it under each other (in Lambda
 * each container has its own /tmp); it is loaded from the given path instead.
 */
record RuntimeClient(List<Path> classpath, Path nativeLibrary) {

    static final String NATIVE_LIBRARY_PROPERTY =
            "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

    static RuntimeClient copyTo(Path directory) {
        LocalFiles.deleteRecursively(directory);
        LocalFiles.createDirectories(directory);
        List<Path> copies = new ArrayList<>();
        for (Path jar : jars()) {
            copies.add(Files.isDirectory(jar) ? jar : copy(jar, directory.resolve(jar.getFileName())));
        }
        return new RuntimeClient(copies, extractNativeLibrary(directory));
    }

    /** The JVM options that load the JNI library from its copy. */
    String nativeLibraryOption() {
        return "-D" + NATIVE_LIBRARY_PROPERTY + "=" + nativeLibrary;
    }

    private static Path extractNativeLibrary(Path directory) {
        String name = "libaws-lambda-jni." + platform() + ".so";
        Path library = directory.resolve(name);
        try (InputStream in = RuntimeClient.class.getResourceAsStream("/jni/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the runtime interface client has no " + name);
            }
            Files.copy(in, library);
            return library;
        } catch (IOException e) {
            throw new UncheckedIOException("could not extract " + name, e);
        }
    }

    /** linux-x86_64, linux-aarch_64, or their musl variants, as the client names them. */
    private static String platform() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String cpu = arch.equals("aarch64") || arch.equals("arm64") ? "aarch_64" : "x86_64";
        boolean musl;
        try (Stream<Path> libs = Files.list(Path.of("/lib"))) {
            musl = libs.anyMatch(lib -> lib.getFileName().toString().startsWith("ld-musl-"));
        } catch (IOException noLib) {
            musl = false;
        }
        return (musl ? "linux_musl-" : "linux-") + cpu;
    }

    private static List<Path> jars() {
        return Stream.of("com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
                        "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer",
                        "com.amazonaws.services.lambda.runtime.Context",
                        FunctionContainer.PARENT_WATCH)
                .map(RuntimeClient::jarOf).distinct().toList();
    }

    private static Path jarOf(String className) {
        try {
            return Path.of(Class.forName(className, false, RuntimeClient.class.getClassLoader())
                    .getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (ClassNotFoundException | URISyntaxException e) {
            throw new IllegalStateException("the local runner's classpath lacks " + className, e);
        }
    }

    private static Path copy(Path jar, Path target) {
        try {
            return Files.copy(jar, target);
        } catch (IOException e) {
            throw new UncheckedIOException("could not copy " + jar, e);
        }
    }
}
