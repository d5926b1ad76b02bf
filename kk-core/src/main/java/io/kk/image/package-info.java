/**
 * The image engine: references and KubeKey name rewriting here; the registry client in {@code
 * registry}; the OCI layout store in {@code layout}; the copy scheduler in {@code copy}. Use-case
 * front doors are {@code io.kk.api.ImagePush} and {@code io.kk.api.ImageExport}.
 *
 * <p>Decisions worth knowing:
 *
 * <ul>
 *   <li><b>Bytes are never re-serialised.</b> Manifests and indexes move exactly as read, so every
 *       digest is the same at the destination. The one exception is a platform subset
 *       ({@code --arch}): the index must change, so kk writes a new index of the same media type
 *       listing only the selected children, their descriptors untouched. The child digests are
 *       kept; the index digest differs (and is reported in the summary).
 *   <li><b>Docker media types in the layout.</b> An entry keeps the original media type of the
 *       image's top-level manifest (a Docker manifest list stays one), so digests survive. skopeo
 *       1.9.3 cannot resolve such entries by name ("no descriptor found"); it does read OCI-typed
 *       entries, which are stored the same way. kk does not convert types: that would change
 *       digests, and images referenced by digest would no longer resolve.
 *   <li><b>Entry names.</b> kk writes {@code org.opencontainers.image.ref.name} and {@code
 *       io.containerd.image.name} = the normalised full reference ({@code
 *       docker.io/calico/cni:v3.23.2}). Entries without the containerd name and with a {@code
 *       -<arch>[-<variant>]} suffix are read as KubeKey v2/v3 single-arch entries (both the v3.1
 *       {@code <full ref>-<arch>} and the v3.0 {@code ns:repo:tag-arch} forms) and pushed as
 *       KubeKey does: {@code <tag>-<arch>} plus a manifest list under {@code <tag>}.
 *   <li><b>Transfers.</b> Each distinct blob is moved once per destination; present blobs are
 *       skipped (HEAD / file check), blobs already in another repository of the destination
 *       registry are mounted, downloads resume from a {@code .part} file with Range, every blob is
 *       hashed while streaming and refused (and deleted) on mismatch. Uploads are POST then one
 *       streamed PUT (distribution 2.8 has no single-POST upload).
 *   <li><b>Two HTTP clients.</b> Blob bodies (GETs and upload PUTs) go over kk's own HTTP/1.1 on
 *       sockets ({@code registry.SocketBlobTransport}: keep-alive pool, reads straight into a
 *       256 KiB buffer that is hashed and written as is, the socket timeout as the stall timeout);
 *       the JDK HttpClient's body path (16 KiB buffers handed between threads) cost kk more CPU
 *       than skopeo needed for the whole export. Manifests, HEADs, tokens, mounts and POSTs stay
 *       on the JDK client. Auth, redirects (no credentials to another host) and retries are the
 *       registry client's, the same for both.
 * </ul>
 */
package io.kk.image;
