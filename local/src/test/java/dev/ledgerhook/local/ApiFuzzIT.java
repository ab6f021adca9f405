package dev.ledgerhook.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.ledgerhook.providers.SourceType;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code docs/openapi.yaml} fuzzed by Schemathesis against the local default, both function.zip
 * behind the HTTP API front. Two passes over the same running stack:
 * <ol>
 *   <li>unsigned: whatever Schemathesis generates (paths, headers, bodies, media types) gets a
 *       documented answer, never a 5xx, and nothing at all is written: no claim, no message;</li>
 *   <li>signed: {@code signing_hooks.py} signs most requests with the demo tenant's local secret,
 *       so fuzzed bodies reach the parsers, the claim and the queue: still never a 5xx, and the
 *       answers conform to the document.</li>
 * </ol>
 * Needs Schemathesis ({@code python3 -m pip install schemathesis==4.32.5}, which {@code .ci/run}
 * does); without it the test is skipped and says so. {@code -Dschemathesis.max-examples=n} (default
 * 150) sets the size; {@code -Dschemathesis.seed} replays a run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiFuzzIT {

    private static final Path ROOT = Path.of(System.getProperty("build.repository.root", ".."));
    private static final Path HOOKS = ROOT.resolve("local/src/test/schemathesis");
    private static final Path REPORTS = Path.of("target", "schemathesis");
    private static final String CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,"
            + "response_schema_conformance,response_headers_conformance";
    private static final Duration RUN_LIMIT = Duration.ofMinutes(10);

    private static LocalDefault local;

    @BeforeAll
    static void startLocalDefault() {
        Assumptions.assumeTrue(schemathesisInstalled(),
                "Schemathesis is not installed: python3 -m pip install schemathesis==4.32.5 (skipping the API fuzz test)");
        local = LocalDefault.start(LocalOptions.onFreePorts(2, 1, line -> { }));
    }

    @AfterAll
    static void stop() {
        if (local != null) {
            local.close();
        }
    }

    @Test
    @Order(1)
    void unsignedRequestsGetDocumentedAnswersAndWriteNothing() throws Exception {
        Run run = schemathesis("unsigned", false);
        assertEquals(0, run.exitCode(), "Schemathesis found failures:\n" + run.output());
        assertTrue(run.answers().size() >= 100, "too few requests reached the front: " + run.answers().size());
        assertEquals(0, run.count(answer -> answer.status() == 200), "an unsigned request was accepted: " + run.summary());
        assertEquals(List.of(), claimedKeys(), "a request without a valid signature claimed an event key");
        assertEquals(0, messagesIn(local.resources().eventsQueueUrl()), "a request without a valid signature was enqueued");
        assertEquals(0, messagesIn(local.resources().eventsDlqUrl()));
    }

    @Test
    @Order(2)
    void signedFuzzedDeliveriesNeverFailTheServer() throws Exception {
        Run run = schemathesis("signed", true);
        assertEquals(0, run.exitCode(), "Schemathesis found failures:\n" + run.output());
        Set<String> claimedSources = new TreeSet<>();
        for (String key : claimedKeys()) {
            assertTrue(key.startsWith("demo#"), "claimed outside the demo tenant: " + key);
            claimedSources.add(key.split("#")[1]);
        }
        for (SourceType type : SourceType.values()) {
            assertTrue(run.count(answer -> answer.signed() && answer.source().equals(type.id()) && answer.status() == 200) > 0,
                    "no signed fuzzed " + type.id() + " delivery got past the parser: " + run.summary());
            assertTrue(claimedSources.contains(type.id()), "nothing claimed for " + type.id());
        }
    }

    /** One request as the hooks saw it: the source (or "other" off the demo tenant), signed or not, the status. */
    private record Answer(String source, boolean signed, int status) {
    }

    private record Run(int exitCode, String output, List<Answer> answers) {

        long count(java.util.function.Predicate<Answer> which) {
            return answers.stream().filter(which).count();
        }

        /** {@code source signed|unsigned status -> requests}, for the test output and docs/reliability.md. */
        String summary() {
            Map<String, Long> counts = new java.util.TreeMap<>();
            answers.forEach(answer -> counts.merge(answer.source() + " " + (answer.signed() ? "signed" : "unsigned")
                    + " " + answer.status(), 1L, Long::sum));
            return counts.toString();
        }
    }

    /** Runs {@code st run docs/openapi.yaml} against the front; 4xx answers are expected, 5xx are failures. */
    private static Run schemathesis(String pass, boolean signed) throws IOException, InterruptedException {
        Path reports = Files.createDirectories(REPORTS.resolve(pass)).toAbsolutePath();
        Path tally = reports.resolve("answers.txt");
        Files.deleteIfExists(tally);
        List<String> command = new ArrayList<>(List.of("python3", "-m", "schemathesis.cli", "run",
                ROOT.resolve("docs/openapi.yaml").toString(),
                "--url", local.webhookBaseUrl().replaceFirst("/webhooks$", ""),
                "--checks", CHECKS,
                "--max-examples", System.getProperty("schemathesis.max-examples", "150"),
                "--seed", System.getProperty("schemathesis.seed", "20261201"),
                "--workers", "1", // sequential: two copies of one signed event at once would be a legitimate 503 in_flight
                "--request-timeout", "35",
                "--generation-database", "none",
                "--no-color",
                "--report", "junit", "--report-dir", reports.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(HOOKS.toFile()).redirectErrorStream(true)
                .redirectOutput(reports.resolve("output.txt").toFile());
        builder.environment().putAll(Map.of("SCHEMATHESIS_HOOKS", "signing_hooks", "PYTHONPATH", HOOKS.toString(),
                "LEDGERHOOK_FUZZ_SIGN", signed ? "1" : "0", "LEDGERHOOK_FUZZ_TALLY", tally.toString()));
        Process process = builder.start();
        if (!process.waitFor(RUN_LIMIT.toMinutes(), TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("Schemathesis ran longer than " + RUN_LIMIT);
        }
        List<Answer> answers = Files.isRegularFile(tally) ? Files.readAllLines(tally).stream().map(line -> line.split(" "))
                .map(part -> new Answer(part[0], part[1].equals("signed"), Integer.parseInt(part[2]))).toList() : List.of();
        Run run = new Run(process.exitValue(), Files.readString(reports.resolve("output.txt"), StandardCharsets.UTF_8), answers);
        System.out.println("[schemathesis] " + pass + " pass: " + answers.size() + " requests, exit " + run.exitCode()
                + ", answers " + run.summary());
        return run;
    }

    private static List<String> claimedKeys() {
        return local.emulators().dynamoDb().scanPaginator(ScanRequest.builder().tableName(local.resources().eventsTable()).build())
                .items().stream().map(item -> item.getOrDefault("pk", AttributeValue.fromS("?")).s()).toList();
    }

    private static int messagesIn(String queueUrl) {
        Map<QueueAttributeName, String> attributes = local.emulators().sqs().getQueueAttributes(GetQueueAttributesRequest.builder()
                .queueUrl(queueUrl).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE).build()).attributes();
        return attributes.values().stream().mapToInt(Integer::parseInt).sum();
    }

    private static boolean schemathesisInstalled() {
        try {
            Process probe = new ProcessBuilder("python3", "-c", "import schemathesis").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
