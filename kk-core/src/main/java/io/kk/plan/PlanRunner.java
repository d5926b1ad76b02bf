package io.kk.plan;

import io.kk.error.ErrorKind;
import io.kk.error.KkException;
import io.kk.event.EventSink;
import io.kk.event.Note;
import io.kk.host.Remote;
import io.kk.host.RemoteConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a pipeline on an inventory. Tasks run one after another; within a task, hosts run in
 * parallel (at most {@link RunOptions#parallel()} at once) or one by one for serial tasks. A host
 * whose action fails does no more work; the other hosts finish the current task, then the pipeline
 * stops (unless errors are ignored). Workers never exit or throw past the runner: every failure
 * ends up in the {@link PlanReport}.
 */
public final class PlanRunner {

    /** Waits between retries; tests pass one that does not wait. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final RemoteFactory remotes;
    private final RunOptions options;
    private final EventSink events;
    private final Clock clock;
    private final Sleeper sleeper;

    public PlanRunner(RemoteFactory remotes, RunOptions options, EventSink events) {
        this(remotes, options, events, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()));
    }

    public PlanRunner(RemoteFactory remotes, RunOptions options, EventSink events, Clock clock, Sleeper sleeper) {
        this.remotes = remotes;
        this.options = options;
        this.events = events;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public PlanReport run(Pipeline pipeline, Inventory inventory) {
        Map<String, HostState> states = new LinkedHashMap<>();
        inventory.hosts().forEach(t -> states.put(t.name(), new HostState(t)));
        events.emit(new PlanEvent.PlanStarted(
                pipeline.name(), inventory.hosts().stream().map(Target::name).toList(), pipeline.taskCount()));
        int poolSize =
                Math.max(1, Math.min(options.parallel(), inventory.hosts().size()));
        AtomicInteger threadNo = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(poolSize, r -> {
            Thread t = new Thread(r, "kk-host-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        boolean completed = true;
        try {
            outer:
            for (Module module : pipeline.modules()) {
                for (Task task : module.tasks()) {
                    List<HostState> selected = inventory.select(task.hosts()).stream()
                            .map(t -> states.get(t.name()))
                            .filter(s -> s.failure == null)
                            .toList();
                    if (selected.isEmpty()) {
                        continue;
                    }
                    events.emit(new PlanEvent.TaskStarted(
                            module.name(),
                            task.name(),
                            selected.stream().map(s -> s.target.name()).toList(),
                            task.serial()));
                    runTask(pool, module, task, selected);
                    boolean anyFailed = selected.stream().anyMatch(s -> s.failure != null);
                    if (anyFailed && !options.ignoreErrors()) {
                        completed = false;
                        break outer;
                    }
                }
            }
        } finally {
            pool.shutdownNow();
            states.values().forEach(HostState::close);
        }
        List<HostSummary> summaries = new ArrayList<>();
        for (HostState s : states.values()) {
            summaries.add(new HostSummary(
                    s.target.name(), s.changed, s.unchanged, s.skipped, Optional.ofNullable(s.failure)));
        }
        PlanReport report = new PlanReport(pipeline.name(), summaries, completed);
        events.emit(new PlanEvent.PlanFinished(report));
        return report;
    }

    private void runTask(ExecutorService pool, Module module, Task task, List<HostState> hosts) {
        if (task.serial() || hosts.size() == 1) {
            hosts.forEach(h -> runHost(module, task, h));
            return;
        }
        List<Future<?>> futures = new ArrayList<>();
        for (HostState h : hosts) {
            futures.add(pool.submit(() -> runHost(module, task, h)));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(x -> x.cancel(true));
                throw KkException.failed("interrupted while running " + task.name(), "");
            } catch (ExecutionException e) {
                // runHost catches everything; reaching this is a bug
                throw KkException.internal("worker for " + task.name() + " died", e.getCause());
            }
        }
    }

    /** Runs the task's actions on one host, in order, stopping at the first failure. */
    private void runHost(Module module, Task task, HostState host) {
        for (Action action : task.actions()) {
            HostContext ctx = new HostContext(host.target, host::remote, events, clock, task.name(), action.name());
            long start = System.nanoTime();
            ActionResult result;
            HostSummary.Failure failure = null;
            try {
                result = applyWithRetries(host, action, ctx);
            } catch (KkException e) {
                failure = new HostSummary.Failure(
                        module.name() + " / " + task.name(), action.name(), e.getMessage(), e.hint(), e.kind());
                result = new ActionResult(Outcome.FAILED, firstLine(e.getMessage()));
            } catch (RuntimeException e) {
                failure = new HostSummary.Failure(
                        module.name() + " / " + task.name(),
                        action.name(),
                        "unexpected error: " + e,
                        "this is a bug in kk; rerun with --debug and report it",
                        ErrorKind.INTERNAL);
                result = new ActionResult(Outcome.FAILED, e.toString());
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            switch (result.outcome()) {
                case CHANGED -> host.changed++;
                case UNCHANGED -> host.unchanged++;
                case SKIPPED -> host.skipped++;
                case FAILED -> {
                    if (failure == null) {
                        failure = new HostSummary.Failure(
                                module.name() + " / " + task.name(),
                                action.name(),
                                result.detail(),
                                "",
                                ErrorKind.FAILED);
                    }
                }
            }
            events.emit(new PlanEvent.ActionDone(
                    host.target.name(),
                    module.name(),
                    task.name(),
                    action.name(),
                    result.outcome(),
                    result.detail(),
                    took));
            if (failure != null) {
                host.failure = failure;
                events.emit(new PlanEvent.HostFailed(
                        host.target.name(),
                        module.name(),
                        task.name(),
                        action.name(),
                        failure.message(),
                        failure.hint()));
                return;
            }
        }
    }

    private ActionResult applyWithRetries(HostState host, Action action, HostContext ctx) {
        for (int attempt = 0; ; attempt++) {
            try {
                return action.apply(ctx);
            } catch (RemoteConnectionException e) {
                host.close();
                if (attempt >= options.connectionRetries()) {
                    throw new RemoteConnectionException(
                            e.getMessage()
                                    + (options.connectionRetries() > 0
                                            ? " (gave up after " + options.connectionRetries() + " retries)"
                                            : ""),
                            e.hint().isBlank() ? "check that " + host.target.name() + " is up and reachable" : e.hint(),
                            e);
                }
                Duration wait = options.backoff().multipliedBy(1L << Math.min(attempt, 16));
                events.emit(Note.warn("[" + host.target.name() + "] " + action.name() + ": connection lost ("
                        + firstLine(e.getMessage()) + "); retry " + (attempt + 1) + " of "
                        + options.connectionRetries() + " in " + wait.toMillis() + " ms"));
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw KkException.failed("interrupted while waiting to retry " + action.name(), "");
                }
            }
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** One host's connection and tally; touched by one thread at a time. */
    private final class HostState {
        final Target target;
        Remote remote;
        int changed;
        int unchanged;
        int skipped;
        HostSummary.Failure failure;

        HostState(Target target) {
            this.target = target;
        }

        Remote remote() {
            if (remote == null) {
                remote = remotes.open(target);
            }
            return remote;
        }

        void close() {
            if (remote != null) {
                try {
                    remote.close();
                } catch (RuntimeException ignored) {
                    // a connection that fails to close is gone anyway
                }
                remote = null;
            }
        }
    }
}
