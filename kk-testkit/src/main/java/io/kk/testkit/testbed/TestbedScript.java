package io.kk.testkit.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs {@code testbed/kk-testbed} of this checkout: the one place that knows where it is. */
final class TestbedScript {

    private final Path script;

    private TestbedScript(Path script) {
        this.script = script;
    }

    /**
     * The script named by the system property or environment variable {@code kk.testbed.script} /
     * {@code KK_TESTBED_SCRIPT}, else {@code testbed/kk-testbed} in the working directory or one of
     * its parents (Maven runs tests in the module directory).
     */
    static TestbedScript locate() {
        String configured = System.getProperty("kk.testbed.script", System.getenv("KK_TESTBED_SCRIPT"));
        if (configured != null && !configured.isBlank()) {
            return checked(Paths.get(configured));
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("testbed").resolve("kk-testbed");
            if (Files.isRegularFile(candidate)) {
                return checked(candidate);
            }
        }
        throw new IllegalStateException("testbed/kk-testbed not found above "
                + Paths.get("").toAbsolutePath() + "; set -Dkk.testbed.script=PATH");
    }

    private static TestbedScript checked(Path script) {
        if (!Files.isExecutable(script)) {
            throw new IllegalStateException(script + " is not executable");
        }
        return new TestbedScript(script.toAbsolutePath());
    }

    Path path() {
        return script;
    }

    /** Runs the script; its stdout on success, an exception with its output otherwise. */
    String run(Duration timeout, String... args) {
        List<String> command = new ArrayList<>();
        command.add(script.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(nullFile()));
        // Nodes outlive this call; the script records this JVM as their owner, so that a later
        // run's `gc` removes them should this JVM die without tearing them down.
        builder.environment()
                .put("KK_TESTBED_OWNER", Long.toString(ProcessHandle.current().pid()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + script, e);
        }
        CompletableFuture<String> out = readAll(process.getInputStream());
        CompletableFuture<String> err = readAll(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        "kk-testbed " + String.join(" ", args) + " took longer than " + timeout + "\n" + err.join());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: kk-testbed " + String.join(" ", args), e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("kk-testbed " + String.join(" ", args) + " failed (exit "
                    + process.exitValue() + "):\n" + err.join() + out.join());
        }
        return out.join();
    }

    private static java.io.File nullFile() {
        return new java.io.File("/dev/null");
    }

    /** Drains a stream on its own thread (the common pool has one thread on two cores). */
    private static CompletableFuture<String> readAll(java.io.InputStream stream) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try (stream) {
                        result.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        result.complete("(output lost: " + e.getMessage() + ")");
                    }
                },
                "kk-testbed-output");
        reader.setDaemon(true);
        reader.start();
        return result;
    }
}
