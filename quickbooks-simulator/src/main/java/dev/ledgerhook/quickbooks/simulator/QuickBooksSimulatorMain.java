package dev.ledgerhook.quickbooks.simulator;

import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulator standalone: {@code java -jar ledgerhook-quickbooks-simulator-*.jar [--port 8089] [--seed-demo]}.
 */
public final class QuickBooksSimulatorMain {

    private QuickBooksSimulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        List<String> options = List.of(args);
        int port = 8089;
        int at = options.indexOf("--port");
        if (at >= 0 && at + 1 < args.length) {
            port = Integer.parseInt(args[at + 1]);
        }
        QuickBooksSimulator simulator = QuickBooksSimulator.start(port);
        if (options.contains("--seed-demo")) {
            simulator.seedDemo();
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }));
        System.out.println("QuickBooks simulator listening on " + simulator.baseUrl()
                + (options.contains("--seed-demo") ? " (demo realm " + QuickBooksSimulator.DEMO_REALM + ")" : ""));
        stopped.await();
    }
}
