/**
 * The artifact file: one tar (zstd or gzip) holding KubeKey's artifact layout plus kk's own index
 * ({@code kk/index.json}) and checksum list ({@code kk/SHA256SUMS}). {@link ArtifactWriter} exports
 * it piece by piece with a crash-safe journal; {@link ArtifactReader} inspects, verifies and
 * imports it (KubeKey v2/v3 gzip artifacts too).
 */
package io.kk.artifact;
