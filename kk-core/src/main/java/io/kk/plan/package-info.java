/**
 * The plan engine: a pipeline is a plain ordered list of modules, a module an ordered list of
 * tasks, a task a list of actions run on the hosts its selector picks. Actions check before they
 * act and report {@link io.kk.plan.Outcome}; data flows between steps through typed Java values
 * ({@link io.kk.plan.HostValues}), never a string-keyed cache. {@link io.kk.plan.PlanRunner} runs a
 * pipeline with bounded parallelism and retries on dropped connections; {@link
 * io.kk.plan.PlanPreview} renders it for {@code --dry-run} without opening any Remote.
 *
 * <p>This package knows hosts only through {@link io.kk.plan.Target} and {@link
 * io.kk.plan.RemoteFactory}, so it depends on neither the config parser nor the SSH code.
 */
package io.kk.plan;
