package dev.ledgerhook.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What Linux reports about a process: peak and current resident set size, CPU time used. */
final class ProcessStats {

    private static final double CLOCK_TICKS = 100.0; // USER_HZ on Linux

    private ProcessStats() {
    }

    /** VmHWM, the peak resident set size, in MiB; -1 when the process is gone. */
    static double peakRssMb(long pid) {
        return statusField(pid, "VmHWM:");
    }

    static double rssMb(long pid) {
        return statusField(pid, "VmRSS:");
    }

    /** User + system CPU seconds used so far; 0 when the process is gone. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS;
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"))).replace('\0', ' ');
        } catch (IOException gone) {
            return "";
        }
    }

    /** This JVM's descendants whose command line contains {@code marker}. */
    static List<Long> descendants(String marker) {
        return ProcessHandle.current().descendants()
                .filter(process -> commandLine(process.pid()).contains(marker))
                .map(ProcessHandle::pid).toList();
    }

    private static double statusField(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process is gone
        }
        return -1;
    }
}
