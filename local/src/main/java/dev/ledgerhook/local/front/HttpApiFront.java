package dev.ledgerhook.local.front;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.ledgerhook.local.lambda.Invocation;
import dev.ledgerhook.local.lambda.LocalFunction;

/**
 * The local stand-in for the template's API Gateway HTTP API: the single route
 * {@code POST /webhooks/{tenant}/{source}} turned into a payload-format-2.0 event for the ingest
 * function, and the function's answer turned back into HTTP. Like API Gateway it answers 404 to
 * any other route, 413 above 10 MB, 500 when the function fails and 503 after 30 s.
 */
public final class HttpApiFront implements AutoCloseable {

    static {
        // TCP_NODELAY for the JDK's HTTP server: without it every answer waits ~40 ms for a delayed ACK.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    static final int MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
    static final Duration INTEGRATION_TIMEOUT = Duration.ofSeconds(30);

    private final LocalFunction ingest;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(32);

    private HttpApiFront(LocalFunction ingest, HttpServer server) {
        this.ingest = ingest;
        this.server = server;
    }

    public static HttpApiFront start(String host, int port, LocalFunction ingest) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
        HttpApiFront front = new HttpApiFront(ingest, server);
        server.createContext("/", front::handle);
        server.setExecutor(front.threads);
        server.start();
        return front;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Route route = Route.match(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath());
            if (route == null) {
                answer(exchange, 404, "{\"message\":\"Not Found\"}");
                return;
            }
            byte[] body = readAtMost(exchange.getRequestBody(), MAX_PAYLOAD_BYTES + 1);
            if (body.length > MAX_PAYLOAD_BYTES) {
                answer(exchange, 413, "{\"message\":\"Request Entity Too Large\"}");
                return;
            }
            byte[] event = ApiGatewayEvents.request(exchange, route, body);
            relay(exchange, waitFor(ingest.invoke(event)));
        }
    }

    private static Invocation.Result waitFor(java.util.concurrent.CompletableFuture<Invocation.Result> result) {
        try {
            return result.get(INTEGRATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (Exception e) {
            return new Invocation.ContainerFailed(e.toString());
        }
    }

    private static void relay(HttpExchange exchange, Invocation.Result result) throws IOException {
        if (result == null) {
            answer(exchange, 503, "{\"message\":\"Service Unavailable\"}");
        } else if (result instanceof Invocation.Response response) {
            ApiGatewayEvents.Answer answer = ApiGatewayEvents.response(response.body());
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            send(exchange, answer.status(), answer.body());
        } else {
            answer(exchange, 500, "{\"message\":\"Internal Server Error\"}");
        }
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(exchange, status, json.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] readAtMost(InputStream in, int limit) throws IOException {
        try (in) {
            return in.readNBytes(limit);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
