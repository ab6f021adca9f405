package dev.ledgerhook.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The functions, their environment and their IAM, as the template declares them and the code reads them. */
class SamTemplateFunctionsTest {

    private static final String QUARKUS_HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";

    @Test
    void bothFunctionsUseQuarkusHandlerAndAreBuiltByTheirModulesMakeTarget() throws IOException {
        JsonNode template = SamTemplate.loadTree();
        assertEquals(QUARKUS_HANDLER, template.path("Globals").path("Function").path("Handler").asText());
        String makefile = Files.readString(SamTemplate.repositoryRoot().resolve("infra/build/Makefile"));
        Map<String, String> modules = Map.of("IngestFunction", "ingest-function", "WorkerFunction", "worker-function");
        modules.forEach((function, module) -> {
            JsonNode resource = template.path("Resources").path(function);
            assertEquals("infra/build", codeUri(template, function), function);
            assertEquals("makefile", resource.path("Metadata").path("BuildMethod").asText(), function);
            assertEquals(".", resource.path("Metadata").path("WorkingDirectory").asText(), function);
            assertTrue(Files.exists(SamTemplate.repositoryRoot().resolve(module).resolve("pom.xml")), module);
            String target = makefile.substring(makefile.indexOf("build-" + function + ":"));
            assertTrue(target.contains("-pl " + module + " -am package"), function + " builds " + module);
            assertTrue(target.contains(module + "/target/function.zip -d \"$(ARTIFACTS_DIR)\""), function + " unpacks its zip");
        });
    }

    @Test
    void everyEnvironmentVariableIsOneTheCodeReads() throws IOException {
        JsonNode template = SamTemplate.loadTree();
        Set<String> read = readVariables();
        List<String> unknown = new ArrayList<>();
        for (String function : List.of("IngestFunction", "WorkerFunction")) {
            JsonNode variables = template.path("Resources").path(function).path("Properties").path("Environment").path("Variables");
            variables.fieldNames().forEachRemaining(name -> {
                if (!read.contains(name)) {
                    unknown.add(function + ": " + name);
                }
            });
        }
        template.path("Globals").path("Function").path("Environment").path("Variables").fieldNames()
                .forEachRemaining(name -> {
                    if (name.startsWith("LEDGERHOOK_") && !read.contains(name)) {
                        unknown.add("Globals: " + name);
                    }
                });
        assertEquals(List.of(), unknown, "variables no configuration reads (read: " + read + ")");
    }

    @Test
    void iamGrantsNamedResourcesOnlyAndEveryResourceExists() throws IOException {
        JsonNode resources = SamTemplate.loadTree().path("Resources");
        List<String> problems = new ArrayList<>();
        for (String role : List.of("IngestRole", "WorkerRole")) {
            for (JsonNode policy : resources.path(role).path("Properties").path("Policies")) {
                for (JsonNode statement : policy.path("PolicyDocument").path("Statement")) {
                    String resource = statement.path("Resource").asText();
                    if (resource.equals("*") || resource.isEmpty()) {
                        problems.add(role + " grants " + statement.path("Action") + " on '" + resource + "'");
                    } else if (resource.endsWith(".Arn") && !resources.has(resource.substring(0, resource.length() - 4))) {
                        problems.add(role + " names a missing resource " + resource);
                    } else if (!resource.endsWith(".Arn") && !resource.contains("${SecretsPrefix}")) {
                        problems.add(role + " grants an unexpected resource " + resource);
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theEventSourceMappingReportsBatchItemFailuresAndIsBounded() throws IOException {
        JsonNode events = SamTemplate.loadTree().path("Resources").path("WorkerFunction").path("Properties").path("Events");
        JsonNode sqs = events.elements().next().path("Properties");
        assertEquals("EventsQueue.Arn", sqs.path("Queue").asText());
        assertEquals("ReportBatchItemFailures", sqs.path("FunctionResponseTypes").path(0).asText());
        assertTrue(sqs.path("BatchSize").asInt() > 0 && sqs.path("BatchSize").asInt() <= 10);
        assertTrue(sqs.path("ScalingConfig").path("MaximumConcurrency").asInt() >= 2);
        assertFalse(sqs.path("MaximumBatchingWindowInSeconds").isMissingNode());
    }

    /**
     * {@code LEDGERHOOK_*} variables that core's configuration interfaces map. The functions' own
     * (the worker's QuickBooks and worker settings, the ingest's) keep their defaults in the
     * template: a variable of theirs added to it fails here until it is listed.
     */
    private static Set<String> readVariables() {
        List<Class<?>> mappings = List.of(StackConfig.class, dev.ledgerhook.secrets.SecretsConfig.class,
                dev.ledgerhook.tenants.TenantDirectory.Config.class, dev.ledgerhook.tracing.TracingConfig.class);
        return mappings.stream().flatMap(type -> {
            String prefix = type.getAnnotation(io.smallrye.config.ConfigMapping.class).prefix();
            return Arrays.stream(type.getDeclaredMethods()).map(Method::getName)
                    .map(name -> variable(prefix + "." + kebab(name)));
        }).collect(Collectors.toSet());
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static String variable(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static String codeUri(JsonNode template, String function) {
        return template.path("Resources").path(function).path("Properties").path("CodeUri").asText();
    }
}
