package dev.ledgerhook.tracing;

import java.io.IOException;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Spans as X-Ray subsegments, without the X-Ray SDK: each span that ends is one UDP datagram to
 * the X-Ray daemon (the daemon protocol's header line, then the subsegment document), attached to
 * the invocation's segment named by the trace header's Parent. Only when tracing is enabled and
 * the current trace header says {@code Sampled=1}; otherwise the work just runs. Spans are flat:
 * each is a child of the invocation's segment. Sending never fails the work: an I/O error is
 * counted ({@link #sendFailures()}) and dropped; the work's own exception is recorded on the span
 * and rethrown unchanged.
 *
 * <p>The daemon's address is {@code AWS_XRAY_DAEMON_ADDRESS} (set by Lambda; {@code host:port}, or
 * {@code tcp:host:port udp:host:port}), overridden by the system property
 * {@value #DAEMON_PROPERTY} as in the X-Ray SDK; default {@value #DEFAULT_DAEMON}.
 */
@ApplicationScoped
public class Tracer {

    public static final String DAEMON_PROPERTY = "com.amazonaws.xray.emitters.daemonAddress";
    public static final String DAEMON_VARIABLE = "AWS_XRAY_DAEMON_ADDRESS";
    public static final String DEFAULT_DAEMON = "127.0.0.1:2000";

    private static final byte[] PROTOCOL_HEADER = "{\"format\": \"json\", \"version\": 1}\n".getBytes(StandardCharsets.UTF_8);
    private static final JsonFactory JSON = new JsonFactory();

    private final boolean enabled;
    private final Supplier<Optional<TraceHeader>> headers;
    private final Supplier<String> daemon;
    private final LongAdder sent = new LongAdder();
    private final LongAdder sendFailures = new LongAdder();
    private volatile DatagramSocket socket;
    private volatile Daemon resolved;

    @Inject
    public Tracer(TracingConfig config) {
        this(config.enabled(), TraceHeader::current, Tracer::daemonSetting);
    }

    /**
     * @param headers the current invocation's trace header, asked once per span
     * @param daemon  the daemon address setting, asked once per span sent
     */
    public Tracer(boolean enabled, Supplier<Optional<TraceHeader>> headers, Supplier<String> daemon) {
        this.enabled = enabled;
        this.headers = headers;
        this.daemon = daemon;
    }

    /** A tracer that never sends: for code built by hand, in tests and tools. */
    public static Tracer off() {
        return new Tracer(false, Optional::empty, () -> DEFAULT_DAEMON);
    }

    /** What a span runs: it may add to the span (annotations, an HTTP block, a fault) as it learns more. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run(Span span) throws E;
    }

    /** Runs {@code work} in a span called {@code name}; its exception, if any, marks the span a fault and is rethrown. */
    public <T, E extends Exception> T trace(String name, Map<String, ?> annotations, Work<T, E> work) throws E {
        Optional<TraceHeader> header = enabled ? headers.get().filter(TraceHeader::traced) : Optional.empty();
        if (header.isEmpty()) {
            return work.run(Span.NOT_RECORDED);
        }
        Span span = new Span(name, annotations);
        try {
            return work.run(span);
        } catch (Throwable failure) {
            span.failed(failure);
            throw failure;
        } finally {
            span.end();
            send(header.get(), span);
        }
    }

    public <T> T span(String name, Map<String, ?> annotations, Supplier<T> work) {
        return trace(name, annotations, span -> work.get());
    }

    public void span(String name, Map<String, ?> annotations, Runnable work) {
        trace(name, annotations, span -> {
            work.run();
            return null;
        });
    }

    /** Subsegments handed to the socket. */
    public long sent() {
        return sent.sum();
    }

    /** Subsegments that could not be sent (bad daemon address, socket errors); dropped. */
    public long sendFailures() {
        return sendFailures.sum();
    }

    private void send(TraceHeader header, Span span) {
        try {
            byte[] document = span.document(header).getBytes(StandardCharsets.UTF_8);
            byte[] datagram = new byte[PROTOCOL_HEADER.length + document.length];
            System.arraycopy(PROTOCOL_HEADER, 0, datagram, 0, PROTOCOL_HEADER.length);
            System.arraycopy(document, 0, datagram, PROTOCOL_HEADER.length, document.length);
            socket().send(new DatagramPacket(datagram, datagram.length, daemonAddress()));
            sent.increment();
        } catch (IOException | RuntimeException e) {
            sendFailures.increment();
        }
    }

    private DatagramSocket socket() throws IOException {
        DatagramSocket current = socket;
        if (current == null) {
            synchronized (this) {
                if (socket == null) {
                    socket = new DatagramSocket();
                }
                current = socket;
            }
        }
        return current;
    }

    private InetSocketAddress daemonAddress() {
        String setting = daemon.get();
        Daemon last = resolved;
        if (last == null || !last.setting().equals(setting)) {
            last = new Daemon(setting, parseDaemonAddress(setting));
            resolved = last;
        }
        return last.address();
    }

    private record Daemon(String setting, InetSocketAddress address) {
    }

    private static String daemonSetting() {
        String setting = System.getProperty(DAEMON_PROPERTY);
        if (setting == null || setting.isBlank()) {
            setting = System.getenv(DAEMON_VARIABLE);
        }
        return setting == null || setting.isBlank() ? DEFAULT_DAEMON : setting.trim();
    }

    /** {@code host:port}, or the {@code udp:host:port} of {@code tcp:host:port udp:host:port}. */
    static InetSocketAddress parseDaemonAddress(String setting) {
        String udp = null;
        String[] parts = setting.trim().split("\\s+");
        for (String part : parts) {
            if (part.startsWith("udp:")) {
                udp = part.substring(4);
            }
        }
        if (udp == null && parts.length == 1 && !parts[0].startsWith("tcp:")) {
            udp = parts[0];
        }
        int colon = udp == null ? -1 : udp.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("no UDP host:port in " + DAEMON_VARIABLE + " '" + setting + "'");
        }
        return new InetSocketAddress(udp.substring(0, colon), Integer.parseInt(udp.substring(colon + 1)));
    }

    static String newId() {
        return String.format("%016x", java.util.concurrent.ThreadLocalRandom.current().nextLong());
    }

    static double epochSeconds(Instant instant) {
        return instant.getEpochSecond() + instant.getNano() / 1_000_000_000.0;
    }

    static StringWriter text() {
        return new StringWriter(512);
    }

    static JsonGenerator json(StringWriter text) throws IOException {
        return JSON.createGenerator(text);
    }
}
