package dev.ledgerhook.teststack;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of every emulator child JVM: {@code ParentWatch <main class> <args...>}. It runs the
 * emulator's real main and halts the JVM as soon as its standard input reaches end-of-file, which
 * happens when the parent (a test JVM, the local runner) exits for any reason, SIGKILL included.
 * So an emulator never outlives the run that started it, even when tests fail or the build is
 * killed. Deliberately free of dependencies: it runs on the emulator's own classpath.
 */
public final class ParentWatch {

    private ParentWatch() {
    }

    public static void main(String[] args) throws Exception {
        Thread watcher = new Thread(ParentWatch::haltOnEndOfInput, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }

    private static void haltOnEndOfInput() {
        InputStream in = System.in;
        try {
            while (in.read() >= 0) {
                // the parent never writes; any byte is ignored
            }
        } catch (IOException closed) {
            // same meaning as end-of-file
        }
        Runtime.getRuntime().halt(0);
    }
}
