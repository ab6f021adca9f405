package dev.ledgerhook.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code ./ledgerhook --local --json ...} run as a process, as an operator runs it. */
final class OperatorCli {

    /** What a run printed and how it ended. */
    record Run(int exitCode, String out, String err) {

        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + out + "\n" + err, e);
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private OperatorCli() {
    }

    static Run json(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("./ledgerhook", "--local", "--json"));
        command.addAll(List.of(args));
        return run(command);
    }

    static Run human(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("./ledgerhook", "--local"));
        command.addAll(List.of(args));
        return run(command);
    }

    private static Run run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(RunLocal.ROOT.toFile()).start();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("ledgerhook " + command + " did not finish");
        }
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }
}
