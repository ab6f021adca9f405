package dev.ledgerhook.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import dev.ledgerhook.benchmarks.counting.AwsCallCounter;

/**
 * The packages the benchmark runs: each function's {@code function.zip} as built, the same with the
 * request counter added to {@code lib/} (a global SDK interceptor, one jar with one class and the
 * SDK's {@code execution.interceptors} registration), and the Powertools peer's package.
 */
final class FunctionPackages {

    static final String INTERCEPTORS = "software/amazon/awssdk/global/handlers/execution.interceptors";

    private final Path work;

    FunctionPackages(Path work) {
        this.work = work;
    }

    /** {@code function.zip} plus {@code lib/ledgerhook-aws-call-counter.jar}. */
    Path counting(Path functionZip, String name) throws IOException {
        Path zip = work.resolve(name + "-counting.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip));
             ZipInputStream in = new ZipInputStream(Files.newInputStream(functionZip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                in.transferTo(out);
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry("lib/ledgerhook-aws-call-counter.jar"));
            writeCounterJar(out);
            out.closeEntry();
        }
        return zip;
    }

    /** The peer: this module's classes and its runtime libraries (less the runtime client, which the container brings). */
    Path peer(Path moduleJar, Path libDirectory) throws IOException {
        Path zip = work.resolve("powertools-peer.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip));
             Stream<Path> libs = Files.list(libDirectory)) {
            add(out, "lib/" + moduleJar.getFileName(), moduleJar);
            for (Path lib : libs.sorted().toList()) {
                String file = lib.getFileName().toString();
                if (!file.startsWith("aws-lambda-java-runtime-interface-client") && !file.startsWith("aws-lambda-java-serialization")) {
                    add(out, "lib/" + file, lib);
                }
            }
            out.putNextEntry(new ZipEntry("lib/ledgerhook-aws-call-counter.jar"));
            writeCounterJar(out);
            out.closeEntry();
        }
        return zip;
    }

    private static void add(ZipOutputStream out, String name, Path file) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        Files.copy(file, out);
        out.closeEntry();
    }

    private static void writeCounterJar(OutputStream target) throws IOException {
        ZipOutputStream jar = new ZipOutputStream(new NonClosing(target));
        String classFile = AwsCallCounter.class.getName().replace('.', '/') + ".class";
        jar.putNextEntry(new ZipEntry(classFile));
        try (InputStream bytes = AwsCallCounter.class.getClassLoader().getResourceAsStream(classFile)) {
            if (bytes == null) {
                throw new UncheckedIOException(new IOException("cannot read " + classFile));
            }
            bytes.transferTo(jar);
        }
        jar.closeEntry();
        jar.putNextEntry(new ZipEntry(INTERCEPTORS));
        jar.write((AwsCallCounter.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
        jar.closeEntry();
        jar.finish();
    }

    /** Lets the inner jar finish without closing the outer zip entry's stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

}
