/**
 * {@code kk artifact export}'s planner: a Manifest becomes an {@link io.kk.artifact.ExportPlan}
 * whose every piece has its size and sha256 known before the artifact's first byte (kk's index
 * comes first). Binaries come from the catalog (checksums in DESIGN.md's order, sizes by HEAD),
 * ISOs from their local path or URL, and images as one OCI layout under {@code images/}: manifests
 * and indexes are read (and kept byte-exact) while planning, each distinct blob becomes one piece
 * fetched from its registry with resume.
 */
package io.kk.export;
