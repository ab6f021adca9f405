package dev.ledgerhook.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * JDK Flight Recorder on a running container ({@code jcmd <pid> JFR.start / JFR.dump}), summarized
 * from its CPU samples ({@code jdk.ExecutionSample}: threads running Java code, not waiting on a
 * socket): the hottest methods, and the share of samples spent inside each layer.
 */
final class Profiler {

    /** Layers, by package prefix; a sample counts for every layer on its stack. */
    static final Map<String, List<String>> LAYERS = layers();

    private Profiler() {
    }

    static void start(long pid) throws IOException, InterruptedException {
        jcmd(pid, "JFR.start", "name=bench", "settings=profile");
    }

    static Path dump(long pid, Path file) throws IOException, InterruptedException {
        Files.deleteIfExists(file);
        jcmd(pid, "JFR.dump", "name=bench", "filename=" + file.toAbsolutePath());
        jcmd(pid, "JFR.stop", "name=bench");
        return file;
    }

    record Profile(long samples, Map<String, Double> layerShare, Map<String, Double> topMethods) {
    }

    static Profile summarize(Path recording) throws IOException {
        long samples = 0;
        Map<String, Long> layers = new LinkedHashMap<>();
        Map<String, Long> top = new HashMap<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            samples++;
            top.merge(name(frames.get(0)), 1L, Long::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String type = frame.getMethod().getType().getName();
                LAYERS.forEach((layer, prefixes) -> {
                    if (!seen.contains(layer) && prefixes.stream().anyMatch(type::startsWith)) {
                        seen.add(layer);
                    }
                });
            }
            seen.forEach(layer -> layers.merge(layer, 1L, Long::sum));
        }
        long total = Math.max(1, samples);
        Map<String, Double> layerShare = new LinkedHashMap<>();
        LAYERS.keySet().forEach(layer -> layerShare.put(layer, layers.getOrDefault(layer, 0L) * 100.0 / total));
        Map<String, Double> topMethods = new LinkedHashMap<>();
        top.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                .forEach(entry -> topMethods.put(entry.getKey(), entry.getValue() * 100.0 / total));
        return new Profile(samples, layerShare, topMethods);
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static void jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> args = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid)));
        args.addAll(List.of(command));
        Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("jcmd " + String.join(" ", command) + " failed: " + output);
        }
    }

    private static Map<String, List<String>> layers() {
        Map<String, List<String>> layers = new LinkedHashMap<>();
        layers.put("Lambda runtime interface client (Runtime API polling, event and response I/O)",
                List.of("com.amazonaws.services.lambda.runtime.api.client"));
        layers.put("Quarkus Lambda HTTP adapter, Vert.x, Netty, RESTEasy Reactive",
                List.of("io.quarkus.amazon.lambda", "io.vertx", "io.netty", "org.jboss.resteasy", "io.quarkus.vertx"));
        layers.put("AWS SDK (marshalling, SigV4 signing, HTTP client, unmarshalling)", List.of("software.amazon.awssdk"));
        layers.put("JDK HTTP (url-connection)", List.of("sun.net.www", "java.net"));
        layers.put("Jackson (JSON)", List.of("com.fasterxml.jackson"));
        layers.put("Ledgerhook code (providers, ledger, queue, outcomes, intake)", List.of("dev.ledgerhook"));
        layers.put("JDK crypto (HMAC, SHA-256)", List.of("com.sun.crypto", "sun.security", "javax.crypto", "java.security"));
        return layers;
    }

    static String format(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
