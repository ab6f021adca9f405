package dev.ledgerhook.local.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The AWS Lambda Runtime API (version 2018-06-01) served to one container on loopback: the
 * container's runtime interface client asks for the next invocation, then posts its response or
 * error. Invocations come from the queue the container's function shares with its other containers,
 * so a busy container never holds one back from an idle one.
 */
final class RuntimeApi implements AutoCloseable {

    static {
        // The JDK's HTTP server leaves Nagle's algorithm on unless told otherwise: a small answer
        // written as headers then body waits for the peer's delayed ACK, about 40 ms a request on
        // loopback (measured: median 50 ms against 4 ms with it off). Read once, when the first
        // server of the JVM starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final String PREFIX = "/2018-06-01/runtime/";

    private final String functionArn;
    private final long timeoutMillis;
    private final BlockingDeque<Invocation> pending;
    private final AtomicReference<Invocation> current = new AtomicReference<>();
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "runtime-api");
        thread.setDaemon(true);
        return thread;
    });
    private volatile String initError;
    private volatile boolean polled;
    private boolean closed;

    RuntimeApi(String functionArn, long timeoutMillis, BlockingDeque<Invocation> pending) throws IOException {
        this.functionArn = functionArn;
        this.timeoutMillis = timeoutMillis;
        this.pending = pending;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext(PREFIX, this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** {@code host:port}, the value of {@code AWS_LAMBDA_RUNTIME_API}. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** The invocation the container is working on, if any. */
    Invocation current() {
        return current.get();
    }

    /** Ends the current invocation with {@code result} (the container died or ran out of time). */
    void abandonCurrent(Invocation.Result result) {
        Invocation invocation = current.getAndSet(null);
        if (invocation != null) {
            invocation.complete(result);
        }
    }

    /** Whether the container has asked for work: its function is initialized. */
    boolean polled() {
        return polled;
    }

    String initError() {
        return initError;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
            if (path.equals("invocation/next") && exchange.getRequestMethod().equals("GET")) {
                next(exchange);
            } else if (path.startsWith("invocation/") && path.endsWith("/response")) {
                finish(exchange, requestId(path, "/response"), new Invocation.Response(read(exchange)));
            } else if (path.startsWith("invocation/") && path.endsWith("/error")) {
                String type = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
                String body = new String(read(exchange), StandardCharsets.UTF_8);
                finish(exchange, requestId(path, "/error"), new Invocation.FunctionError(type, body));
            } else if (path.equals("init/error")) {
                initError = new String(read(exchange), StandardCharsets.UTF_8);
                answer(exchange, 202, "{\"status\":\"OK\"}");
            } else {
                answer(exchange, 404, "{\"errorMessage\":\"unknown runtime API path\"}");
            }
        }
    }

    /** Blocks until an invocation is pending, as the real Runtime API does. */
    private void next(HttpExchange exchange) throws IOException {
        polled = true;
        Invocation invocation;
        try {
            do {
                invocation = pending.poll(1, TimeUnit.SECONDS);
            } while (invocation == null);
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            return;
        }
        if (!handOver(invocation)) {
            return;
        }
        exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
        exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms", Long.toString(invocation.deadlineMillis()));
        exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn", functionArn);
        exchange.getResponseHeaders().add("Lambda-Runtime-Trace-Id", "Root=1-" + invocation.requestId());
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, invocation.event().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(invocation.event());
        }
    }

    /**
     * The race: the container may be declared dead between the poll and this point. A closed API
     * gives the invocation back to the front of the queue, so a dying container never swallows one.
     */
    private synchronized boolean handOver(Invocation invocation) {
        if (closed) {
            pending.offerFirst(invocation);
            return false;
        }
        invocation.startedWith(System.currentTimeMillis() + timeoutMillis);
        current.set(invocation);
        return true;
    }

    private void finish(HttpExchange exchange, String requestId, Invocation.Result result) throws IOException {
        Invocation invocation = current.get();
        if (invocation == null || !invocation.requestId().equals(requestId)) {
            answer(exchange, 400, "{\"errorMessage\":\"no such invocation in flight\"}");
            return;
        }
        current.compareAndSet(invocation, null);
        invocation.complete(result);
        answer(exchange, 202, "{\"status\":\"OK\"}");
    }

    private static String requestId(String path, String suffix) {
        return path.substring("invocation/".length(), path.length() - suffix.length());
    }

    private static byte[] read(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return in.readAllBytes();
        }
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        server.stop(0);
        threads.shutdownNow();
    }
}
