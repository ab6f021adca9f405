package dev.ledgerhook.reliability.storm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How big and how hostile a storm is. Defaults are the full-size run; the CI-sized run changes the
 * size and the kill cadence, never the fault rates.
 *
 * @param events              unique events (default 10,000)
 * @param seed                the plan's seed: the same seed, the same events in the same order
 * @param senders             concurrent provider connections
 * @param ingestContainers    ingest containers (Lambda concurrency)
 * @param workerConcurrency   worker containers (the event source mapping's maximum concurrency)
 * @param killEvery           mean time between random SIGKILLs of an ingest or worker container
 * @param windowKillRate      share of claim→send and call→COMPLETED windows ended by a SIGKILL
 * @param windowKillCap       at most this many kills per window in the run
 * @param drainTimeout        how long the queue may take to empty after sending, and after each redrive
 * @param work                where the storm writes its fault record and report
 */
record StormSettings(int events, long seed, int senders, int ingestContainers, int workerConcurrency, Duration killEvery,
                     double windowKillRate, int windowKillCap, Duration drainTimeout, Path work) {

    static final double SIMULATOR_ERROR_RATE = 0.10;
    static final double SIMULATOR_THROTTLE_RATE = 0.05;
    static final double SIMULATOR_TIMEOUT_RATE = 0.02;
    static final double DYNAMODB_THROTTLE_RATE = 0.01;
    static final double SQS_SEND_FAILURE_RATE = 0.01;

    static final String USAGE = """
            usage: ./reliability/run-storm [--events n] [--seed n] [--senders n] [--kill-every seconds]
                                           [--window-kill-rate r] [--window-kill-cap n] [--drain-timeout seconds]
              --events n             unique events (default 10000)
              --seed n               the plan's seed (default 1)
              --senders n            concurrent provider connections (default 6)
              --kill-every s         mean seconds between random SIGKILLs of a container (default 30)
              --window-kill-rate r   share of claim->send and call->COMPLETED windows ended by SIGKILL (default 0.001)
              --window-kill-cap n    at most n kills per window (default 10)
              --drain-timeout s      seconds the queue may take to empty (default 2700)""";

    static StormSettings fullSize(Path work) {
        return new StormSettings(10_000, 1, 6, 2, 2, Duration.ofSeconds(30), 0.001, 10, Duration.ofMinutes(45), work);
    }

    static StormSettings parse(List<String> args, Path work) {
        StormSettings settings = fullSize(work);
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (option.equals("--help") || option.equals("-h")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
            }
            String value = args.get(++i);
            settings = switch (option) {
                case "--events" -> settings.withEvents(positive(value, option));
                case "--seed" -> new StormSettings(settings.events, Long.parseLong(value), settings.senders, settings.ingestContainers,
                        settings.workerConcurrency, settings.killEvery, settings.windowKillRate, settings.windowKillCap,
                        settings.drainTimeout, work);
                case "--senders" -> new StormSettings(settings.events, settings.seed, positive(value, option), settings.ingestContainers,
                        settings.workerConcurrency, settings.killEvery, settings.windowKillRate, settings.windowKillCap,
                        settings.drainTimeout, work);
                case "--kill-every" -> settings.withKills(Duration.ofSeconds(positive(value, option)), settings.windowKillRate,
                        settings.windowKillCap);
                case "--window-kill-rate" -> settings.withKills(settings.killEvery, Double.parseDouble(value), settings.windowKillCap);
                case "--window-kill-cap" -> settings.withKills(settings.killEvery, settings.windowKillRate, positive(value, option));
                case "--drain-timeout" -> new StormSettings(settings.events, settings.seed, settings.senders, settings.ingestContainers,
                        settings.workerConcurrency, settings.killEvery, settings.windowKillRate, settings.windowKillCap,
                        Duration.ofSeconds(positive(value, option)), work);
                default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
            };
        }
        return settings;
    }

    StormSettings withEvents(int events) {
        return new StormSettings(events, seed, senders, ingestContainers, workerConcurrency, killEvery, windowKillRate,
                windowKillCap, drainTimeout, work);
    }

    StormSettings withKills(Duration killEvery, double windowKillRate, int windowKillCap) {
        return new StormSettings(events, seed, senders, ingestContainers, workerConcurrency, killEvery, windowKillRate,
                windowKillCap, drainTimeout, work);
    }

    StormSettings withDrainTimeout(Duration drainTimeout) {
        return new StormSettings(events, seed, senders, ingestContainers, workerConcurrency, killEvery, windowKillRate,
                windowKillCap, drainTimeout, work);
    }

    private static int positive(String value, String option) {
        try {
            int number = Integer.parseInt(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // below
        }
        throw new IllegalArgumentException(option + " takes a positive number, not " + value);
    }
}
