/**
 * {@code kk init os}: precheck every host, then prepare it for Kubernetes (swap, hostname,
 * /etc/hosts, OS packages from the artifact's ISO or the OS's repos, kernel modules, sysctl, time),
 * with the user's preInstall/postInstall scripts around it. {@link io.kk.cluster.os.OsInitPlan}
 * turns an {@link io.kk.cluster.os.OsInitRequest} into a {@link io.kk.plan.Pipeline}; every step is
 * idempotent, so a second run reports everything unchanged.
 *
 * <p>Wiring, as the CLI is expected to do it:
 *
 * <pre>{@code
 * OsInitRequest request = ...;                       // from the Cluster config
 * Pipeline plan = OsInitPlan.pipeline(request);
 * if (dryRun) {
 *     console.line(PlanPreview.of(plan, request.inventory()).render());
 * } else {
 *     new PlanRunner(sshRemotes, RunOptions.defaults().withParallel(n), console)
 *             .run(plan, request.inventory())
 *             .orThrow();                            // KkException: FAILED or ENVIRONMENT
 * }
 * }</pre>
 */
package io.kk.cluster.os;
