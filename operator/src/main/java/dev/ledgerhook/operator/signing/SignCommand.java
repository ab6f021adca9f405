package dev.ledgerhook.operator.signing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.ledgerhook.operator.LedgerhookCommand;
import dev.ledgerhook.operator.StackConnection;
import dev.ledgerhook.operator.tenants.SourceCommand;
import dev.ledgerhook.providers.SourceType;
import dev.ledgerhook.secrets.SecretUnavailableException;
import dev.ledgerhook.tenants.SourceConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ledgerhook sign <provider>}: a correctly signed test delivery for a source. */
@Command(name = "sign", description = {
        "Build a signed test delivery for a source: print it as curl (or JSON), or --send it.",
        "It is signed with the source's own (newest) secret; the body is a sample event unless --body is given."})
public final class SignCommand implements Callable<Integer> {

    @ParentCommand
    LedgerhookCommand root;

    @Parameters(paramLabel = "<provider>", description = "stripe, shopify, quickbooks, xero, standard or finch.")
    String provider;

    @Option(names = "--tenant", defaultValue = "demo", description = "The tenant (default ${DEFAULT-VALUE}).")
    String tenant;

    @Option(names = "--source", description = "The source name (default: the provider's name, as the demo tenant has them).")
    String source;

    @Option(names = "--body", paramLabel = "<file>", description = "Sign this file's content instead of a sample event.")
    Path body;

    @Option(names = "--event-id", description = "The event id header value (Shopify, Standard Webhooks, Finch); default: a fresh one.")
    String eventId;

    @Option(names = "--topic", description = "Shopify's X-Shopify-Topic (default customers/create).")
    String topic;

    @Option(names = "--send", description = "Send it and print the answer.")
    boolean send;

    @Override
    public Integer call() throws IOException, InterruptedException, SecretUnavailableException {
        SourceType type = SourceType.fromId(provider).orElseThrow(() -> new IllegalArgumentException(
                "unknown provider " + provider + "; one of stripe, shopify, quickbooks, xero, standard, finch"));
        StackConnection connection = root.connection();
        SourceConfig config = SourceCommand.find(connection.tenants(), tenant, source == null ? provider : source);
        if (config.type() != type) {
            throw new IllegalArgumentException("source " + tenant + "/" + config.name() + " is of type " + config.type().id());
        }
        List<String> secrets = config.secretRefs();
        String secret = connection.secrets().resolve(secrets.get(secrets.size() - 1));
        SignedRequest request = build(type, secret, connection.webhookUrl(tenant, config.name()));
        if (send) {
            return sendAndReport(request);
        }
        if (root.output().json()) {
            root.output().record(Map.of("url", request.url(), "headers", request.headers(), "body", request.body()));
        } else {
            System.out.println(request.curl());
        }
        return 0;
    }

    private SignedRequest build(SourceType type, String secret, String url) throws IOException {
        Instant now = Instant.now();
        SampleEvents.Sample sample = SampleEvents.of(type, now);
        String text = body == null ? sample.body() : Files.readString(body);
        String id = eventId == null ? sample.eventId() : eventId;
        String shopifyTopic = topic == null ? "customers/create" : topic;
        return new SignedRequest(url, DeliverySigner.headers(type, secret, id, shopifyTopic, text, now), text);
    }

    private int sendAndReport(SignedRequest request) throws IOException, InterruptedException {
        HttpRequest.Builder http = HttpRequest.newBuilder(URI.create(request.url())).timeout(Duration.ofSeconds(35))
                .POST(HttpRequest.BodyPublishers.ofString(request.body()));
        request.headers().forEach(http::header);
        HttpResponse<String> response = HttpClient.newHttpClient().send(http.build(), HttpResponse.BodyHandlers.ofString());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("url", request.url());
        answer.put("status", response.statusCode());
        answer.put("answer", response.body());
        root.output().record(answer);
        return response.statusCode() / 100 == 2 ? 0 : 1;
    }
}
