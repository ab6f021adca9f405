package dev.ledgerhook.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Rules about the repository as a whole that no single module's test sees: only open-source
 * emulators, and no read that relies on DynamoDB's consistency without asking for it.
 */
class RepositoryRulesTest {

    private static final Path ROOT = Path.of(System.getProperty("build.repository.root", "..")).toAbsolutePath().normalize();

    private static final Pattern READ = Pattern.compile(
            "dynamoDb(\\(\\))?\\s*\\.\\s*(getItem|query|queryPaginator|scan|scanPaginator|batchGetItem)\\(");

    /**
     * DynamoDB Local is under the vendor's own terms: no pom may name it (the enforcer rule in the
     * parent pom catches it in any dependency tree; this catches it anywhere in a pom, plugins too).
     */
    @Test
    void noPomNamesDynamoDbLocal() {
        List<Path> poms = files("pom.xml");
        assertTrue(poms.size() >= 10, "found the poms under " + ROOT + ": " + poms);
        for (Path pom : poms) {
            assertTrue(!read(pom).contains("<artifactId>DynamoDBLocal</artifactId>"), pom + " depends on DynamoDB Local");
        }
    }

    /**
     * moto answers every read with the latest write; DynamoDB's default read is eventually
     * consistent and may miss a write of the last second. So every read in the shipped code asks
     * for a strongly consistent one, or says in the statement why an eventually consistent one is
     * enough (a comment containing "eventually consistent").
     */
    @Test
    void everyDynamoDbReadAsksForConsistencyOrSaysWhyNot() {
        List<String> lax = new ArrayList<>();
        int reads = 0;
        for (Path source : files(".java")) {
            if (!source.toString().contains("/src/main/java/")) {
                continue;
            }
            String text = read(source);
            Matcher read = READ.matcher(text);
            while (read.find()) {
                reads++;
                String statement = text.substring(read.start(), statementEnd(text, read.end()));
                if (!statement.contains("consistentRead(true)") && !statement.contains("eventually consistent")) {
                    lax.add(ROOT.relativize(source) + ": " + statement.lines().findFirst().orElse(""));
                }
            }
        }
        assertTrue(reads >= 5, "found the reads: " + reads);
        assertEquals(List.of(), lax, "reads that rely on moto's always-consistent answers");
    }

    /** The end of the statement a match starts: the first ';' outside parentheses. */
    private static int statementEnd(String text, int from) {
        int depth = 1;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ';' && depth <= 0) {
                return i;
            }
        }
        return text.length();
    }

    private static List<Path> files(String suffix) {
        try (Stream<Path> walk = Files.walk(ROOT)) {
            return walk.filter(path -> path.getFileName().toString().endsWith(suffix))
                    .filter(path -> !ROOT.relativize(path).toString().contains("target/"))
                    .filter(path -> !ROOT.relativize(path).startsWith(".git"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
