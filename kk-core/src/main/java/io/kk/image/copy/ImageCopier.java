package io.kk.image.copy;

import io.kk.error.KkException;
import io.kk.event.EventSink;
import io.kk.event.Note;
import io.kk.event.Progress;
import io.kk.image.Descriptor;
import io.kk.image.Digests;
import io.kk.image.ImageReference;
import io.kk.image.Manifests;
import io.kk.image.Manifests.Manifest;
import io.kk.image.Platform;
import io.kk.image.copy.CopySummary.CopiedImage;
import io.kk.image.copy.ImageEndpoint.InLayout;
import io.kk.image.copy.ImageEndpoint.InRegistry;
import io.kk.image.layout.OciLayout;
import io.kk.image.registry.BlobTransport;
import io.kk.image.registry.RegistryClient;
import io.kk.image.registry.RegistryCredentials;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies images between registries and OCI layouts, all platforms or a subset, keeping every
 * manifest byte-for-byte (so the index digest and every child digest are the same at the
 * destination). With a platform subset the index necessarily changes: kk writes a new index of the
 * same media type listing only the selected children (their descriptors untouched), so the child
 * digests are kept and the index digest differs.
 *
 * <p>One scheduler for the whole set: manifests are read first (images in parallel), then each
 * distinct blob per destination is moved once by a bounded pool: skipped when the destination has
 * it (HEAD or file check), mounted from another repository of the same registry when one already
 * holds it, else streamed with its sha256 checked. Manifests are written last, children before the
 * index, so a tag never points at missing content.
 */
public final class ImageCopier {
    /** Blob transfers at once unless told otherwise (see {@link Options#defaults}). */
    public static final int DEFAULT_PARALLEL_BLOBS = 12;

    /**
     * @param parallelBlobs blob transfers at once (across all images)
     * @param parallelImages images whose manifests are read or written at once
     * @param platforms platforms to keep from each index; empty keeps all
     */
    public record Options(
            int parallelBlobs,
            int parallelImages,
            List<Platform> platforms,
            RegistryCredentials credentials,
            RegistryClient.Options client) {
        public Options {
            platforms = List.copyOf(platforms);
            if (parallelBlobs < 1 || parallelImages < 1) {
                throw new IllegalArgumentException("parallelism must be at least 1");
            }
        }

        /**
         * 12 blobs and 8 images at once. A far registry hands each connection only window / RTT,
         * so the transfer's speed grows with the connections in flight (bench/images.sh (c)); on
         * loopback, where the CPU decides, 12 costs no more than 8.
         */
        public static Options defaults(RegistryCredentials credentials) {
            return new Options(DEFAULT_PARALLEL_BLOBS, 8, List.of(), credentials, RegistryClient.Options.DEFAULT);
        }

        public Options withPlatforms(List<Platform> p) {
            return new Options(parallelBlobs, parallelImages, p, credentials, client);
        }

        public Options withParallelism(int blobs, int images) {
            return new Options(blobs, images, platforms, credentials, client);
        }
    }

    /** One image to copy. */
    public record Request(ImageEndpoint source, ImageEndpoint destination) {}

    private final Options options;
    private final Map<String, RegistryClient> clients = new ConcurrentHashMap<>();

    public ImageCopier(Options options) {
        this.options = options;
    }

    /** The client this copier uses for a registry (shared, so tokens are reused). */
    public RegistryClient client(String registry) {
        return clients.computeIfAbsent(
                ImageReference.normaliseRegistry(registry),
                r -> new RegistryClient(r, options.credentials().forHost(r), options.client()));
    }

    private record Plan(Request request, Manifest root, List<Manifest> children, List<Descriptor> blobs) {}

    public CopySummary copy(List<Request> requests, EventSink events) {
        ExecutorService imagePool = Executors.newFixedThreadPool(options.parallelImages(), daemon("kk-image"));
        ExecutorService blobPool = Executors.newFixedThreadPool(options.parallelBlobs(), daemon("kk-blob"));
        ExecutorService manifestPool = Executors.newFixedThreadPool(options.parallelImages(), daemon("kk-manifest"));
        try {
            return new Run(requests, events, imagePool, blobPool, manifestPool).execute();
        } finally {
            imagePool.shutdownNow();
            blobPool.shutdownNow();
            manifestPool.shutdownNow();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The state of one copy call. */
    private final class Run {
        private final List<Request> requests;
        private final EventSink events;
        private final ExecutorService imagePool;
        private final ExecutorService blobPool;
        /** Child manifests are read here: the blob pool may be busy with other images' blobs. */
        private final ExecutorService manifestPool;

        private final Map<String, CompletableFuture<Void>> transfers = new ConcurrentHashMap<>();
        /** registry + digest -> the future repository that holds it (the first transfer there). */
        private final Map<String, CompletableFuture<String>> firstInRegistry = new ConcurrentHashMap<>();

        private final AtomicLong bytesDone = new AtomicLong();
        private final AtomicLong bytesTransferred = new AtomicLong();
        private final AtomicInteger blobsTransferred = new AtomicInteger();
        private final AtomicInteger blobsSkipped = new AtomicInteger();
        private final AtomicInteger blobsMounted = new AtomicInteger();
        private final AtomicInteger imagesDone = new AtomicInteger();
        private volatile long bytesTotal = -1;
        private volatile long lastEmit;
        /** dest + digest of every blob planned so far, for the total once every image is planned. */
        private final Set<String> distinct = ConcurrentHashMap.newKeySet();

        private final AtomicLong plannedBytes = new AtomicLong();
        private final AtomicInteger plansLeft;
        /** Set when an image failed: blob transfers not yet started are not started. */
        private volatile boolean failed;

        Run(
                List<Request> requests,
                EventSink events,
                ExecutorService imagePool,
                ExecutorService blobPool,
                ExecutorService manifestPool) {
            this.requests = requests;
            this.events = events;
            this.imagePool = imagePool;
            this.blobPool = blobPool;
            this.manifestPool = manifestPool;
            this.plansLeft = new AtomicInteger(requests.size());
        }

        CopySummary execute() {
            emit(false, true);
            // each image's blobs start as soon as its own manifests are read: on a far registry
            // the last image's manifests take several round trips the first images' blobs need
            // not wait for
            List<CompletableFuture<CopiedImage>> done = new ArrayList<>();
            for (Request r : requests) {
                done.add(CompletableFuture.supplyAsync(() -> plan(r), imagePool)
                        .whenComplete((p, e) -> {
                            if (e != null) {
                                // fail fast: blobs not yet started are not started
                                failed = true;
                            }
                        })
                        .thenComposeAsync(this::copy, imagePool));
            }
            List<CopiedImage> images = join(done);
            emit(true, true);
            return new CopySummary(
                    images, bytesTransferred.get(), blobsTransferred.get(), blobsSkipped.get(), blobsMounted.get());
        }

        private CompletableFuture<CopiedImage> copy(Plan p) {
            String dest = destKey(p.request().destination());
            long added = 0;
            for (Descriptor b : p.blobs()) {
                if (distinct.add(dest + b.digest())) {
                    added += Math.max(0, b.size());
                }
            }
            long sum = plannedBytes.addAndGet(added);
            if (plansLeft.decrementAndGet() == 0) {
                bytesTotal = sum;
                emit(false, true);
            }
            Optional<CopiedImage> there = alreadyThere(p);
            if (there.isPresent()) {
                p.blobs().forEach(b -> {
                    if (transfers.putIfAbsent(dest + b.digest(), CompletableFuture.completedFuture(null)) == null) {
                        blobsSkipped.incrementAndGet();
                        bytesDone.addAndGet(Math.max(0, b.size()));
                    }
                });
                imagesDone.incrementAndGet();
                return CompletableFuture.completedFuture(there.get());
            }
            List<CompletableFuture<Void>> blobs = new ArrayList<>();
            for (Descriptor b : p.blobs()) {
                blobs.add(transfers.computeIfAbsent(dest + b.digest(), k -> transfer(p.request(), b)));
            }
            return CompletableFuture.allOf(blobs.toArray(CompletableFuture[]::new))
                    .thenApplyAsync(v -> writeManifests(p), imagePool);
        }

        private <T> List<T> join(List<CompletableFuture<T>> futures) {
            List<T> out = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            KkException first = null;
            for (CompletableFuture<T> f : futures) {
                try {
                    out.add(f.join());
                } catch (CompletionException e) {
                    Throwable c = e.getCause() == null ? e : e.getCause();
                    if (c instanceof NotStarted) {
                        continue; // another image failed first; that failure is the one to report
                    }
                    KkException k = c instanceof KkException ke
                            ? ke
                            : KkException.failed("image copy failed: " + c, "rerun with --debug for details", c);
                    failures.add(k.getMessage());
                    if (first == null) {
                        first = k;
                    }
                }
            }
            if (first != null) {
                if (failures.size() == 1) {
                    throw first;
                }
                throw KkException.failed(
                        failures.size() + " images failed; first: " + failures.get(0), first.hint(), first);
            }
            if (out.size() < futures.size()) {
                throw KkException.internal("image copy stopped without a cause", null);
            }
            return out;
        }

        /** Thrown by a blob transfer not started because another image had already failed. */
        private static final class NotStarted extends RuntimeException {
            NotStarted() {
                super("not started: another image failed", null, false, false);
            }
        }

        private void checkNotFailed() {
            if (failed) {
                throw new NotStarted();
            }
        }

        // ---- planning ----

        private Plan plan(Request r) {
            Manifest root = readRoot(r.source());
            List<Manifest> children = new ArrayList<>();
            List<Descriptor> blobs = new ArrayList<>();
            if (root.isIndex()) {
                List<Descriptor> all = root.children();
                List<Descriptor> kept = all.stream().filter(this::selected).toList();
                if (kept.isEmpty()) {
                    throw KkException.invalidInput(
                            r.source() + " has no manifest for " + options.platforms(),
                            "choose platforms the image has, or drop --arch");
                }
                if (kept.size() != all.size()) {
                    root = Manifests.subsetIndex(root, kept);
                }
                // children are read at once: on a far registry each read is a round trip
                ImageEndpoint source = r.source();
                List<CompletableFuture<Manifest>> reads = kept.stream()
                        .map(c -> CompletableFuture.supplyAsync(() -> readChild(source, c), manifestPool))
                        .toList();
                for (CompletableFuture<Manifest> f : reads) {
                    Manifest m = f.join();
                    children.add(m);
                    blobs.addAll(m.blobs());
                }
            } else {
                blobs.addAll(root.blobs());
            }
            return new Plan(r, root, children, blobs);
        }

        private boolean selected(Descriptor child) {
            if (options.platforms().isEmpty()) {
                return true;
            }
            return child.platform() != null && options.platforms().stream().anyMatch(p -> p.selects(child.platform()));
        }

        private Manifest readRoot(ImageEndpoint source) {
            if (source instanceof InRegistry reg) {
                return client(reg.ref().registry())
                        .getManifest(reg.ref().repository(), reg.ref().reference());
            }
            InLayout l = (InLayout) source;
            return l.layout().readManifest(l.layout().entry(l.refName()).descriptor());
        }

        private Manifest readChild(ImageEndpoint source, Descriptor child) {
            if (source instanceof InRegistry reg) {
                Manifest m = client(reg.ref().registry()).getManifest(reg.ref().repository(), child.digest());
                return new Manifest(m.bytes(), child.mediaType(), m.digest());
            }
            return ((InLayout) source).layout().readManifest(child);
        }

        private Optional<CopiedImage> alreadyThere(Plan p) {
            ImageEndpoint dest = p.request().destination();
            boolean there;
            if (dest instanceof InRegistry reg) {
                there = client(reg.ref().registry())
                        .headManifest(reg.ref().repository(), reg.ref().reference())
                        .map(d -> d.digest().equals(p.root().digest()))
                        .orElse(false);
                // children by digest too: an index present by tag but not its children is repaired
                if (there) {
                    for (Manifest c : p.children()) {
                        there &= client(reg.ref().registry())
                                .headManifest(reg.ref().repository(), c.digest())
                                .isPresent();
                    }
                }
            } else {
                InLayout l = (InLayout) dest;
                there = l.layout().entries().stream()
                                .anyMatch(e -> l.refName().equals(e.refName())
                                        && e.descriptor()
                                                .digest()
                                                .equals(p.root().digest()))
                        && p.blobs().stream().allMatch(b -> l.layout().hasBlob(b.digest()))
                        && p.children().stream().allMatch(c -> l.layout().hasBlob(c.digest()));
            }
            return there ? Optional.of(copied(p, true)) : Optional.empty();
        }

        private CopiedImage copied(Plan p, boolean unchanged) {
            return new CopiedImage(
                    p.request().source().toString(),
                    p.request().destination().toString(),
                    p.root().digest(),
                    p.root().mediaType(),
                    p.children().stream().map(Manifest::digest).toList(),
                    unchanged);
        }

        // ---- blobs ----

        private String destKey(ImageEndpoint dest) {
            if (dest instanceof InRegistry reg) {
                return reg.ref().name() + "@";
            }
            return "oci:" + ((InLayout) dest).layout().dir() + "@";
        }

        private CompletableFuture<Void> transfer(Request r, Descriptor blob) {
            if (r.destination() instanceof InLayout l) {
                return CompletableFuture.runAsync(
                        () -> {
                            checkNotFailed();
                            toLayout(r.source(), l.layout(), blob);
                        },
                        blobPool);
            }
            InRegistry dest = (InRegistry) r.destination();
            String registry = dest.ref().registry();
            String repo = dest.ref().repository();
            String firstKey = registry + "@" + blob.digest();
            CompletableFuture<String> mine = new CompletableFuture<>();
            CompletableFuture<String> first = firstInRegistry.putIfAbsent(firstKey, mine);
            if (first == null) {
                // the first transfer of this blob into this registry
                return CompletableFuture.runAsync(
                                () -> {
                                    checkNotFailed();
                                    if (!mountFromSource(r.source(), dest, blob)) {
                                        toRegistry(r.source(), dest, blob);
                                    }
                                },
                                blobPool)
                        .whenComplete((v, e) -> {
                            if (e == null) {
                                mine.complete(repo);
                            } else {
                                firstInRegistry.remove(firstKey, mine);
                                mine.completeExceptionally(e);
                            }
                        });
            }
            // another repository of this registry gets (or has) it: mount from there once it is in
            return first.handle((fromRepo, e) -> fromRepo)
                    .thenAcceptAsync(
                            fromRepo -> {
                                checkNotFailed();
                                RegistryClient c = client(registry);
                                if (c.hasBlob(repo, blob.digest())) {
                                    skipped(blob);
                                } else if (fromRepo != null && c.mountBlob(repo, blob.digest(), fromRepo)) {
                                    blobsMounted.incrementAndGet();
                                    bytesDone.addAndGet(Math.max(0, blob.size()));
                                    emit(false, false);
                                } else {
                                    upload(r.source(), dest, blob);
                                }
                            },
                            blobPool);
        }

        /** Same registry as the source: mount across repositories without moving bytes. */
        private boolean mountFromSource(ImageEndpoint source, InRegistry dest, Descriptor blob) {
            RegistryClient c = client(dest.ref().registry());
            if (c.hasBlob(dest.ref().repository(), blob.digest())) {
                skipped(blob);
                return true;
            }
            if (source instanceof InRegistry src
                    && src.ref().registry().equals(dest.ref().registry())
                    && !src.ref().repository().equals(dest.ref().repository())
                    && c.mountBlob(
                            dest.ref().repository(), blob.digest(), src.ref().repository())) {
                blobsMounted.incrementAndGet();
                bytesDone.addAndGet(Math.max(0, blob.size()));
                emit(false, false);
                return true;
            }
            return false;
        }

        private void toRegistry(ImageEndpoint source, InRegistry dest, Descriptor blob) {
            upload(source, dest, blob);
        }

        private void upload(ImageEndpoint source, InRegistry dest, Descriptor blob) {
            RegistryClient c = client(dest.ref().registry());
            String repo = dest.ref().repository();
            if (source instanceof InLayout l) {
                Path file = l.layout().blobPath(blob.digest());
                if (!Files.isRegularFile(file)) {
                    throw KkException.failed(
                            "blob " + blob.digest() + " is missing from "
                                    + l.layout().dir(),
                            "the layout is incomplete; re-export it");
                }
                long size;
                try {
                    size = Files.size(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                c.uploadBlob(repo, blob, BlobTransport.Body.ofFile(file, size));
                io.kk.util.PausePoints.reached("push:blob:" + blob.digest());
                bytesDone.addAndGet(Math.max(0, blob.size()));
                bytesTransferred.addAndGet(Math.max(0, blob.size()));
            } else {
                InRegistry src = (InRegistry) source;
                RegistryClient s = client(src.ref().registry());
                AtomicLong sent = new AtomicLong();
                c.uploadBlob(repo, blob, BlobTransport.Body.ofStream(blob.size(), () -> {
                    // a new attempt sends the blob again from its start
                    bytesDone.addAndGet(-sent.getAndSet(0));
                    return new Counting(s.openBlob(src.ref().repository(), blob), sent);
                }));
                bytesTransferred.addAndGet(sent.get());
            }
            blobsTransferred.incrementAndGet();
            emit(false, false);
        }

        private void toLayout(ImageEndpoint source, OciLayout layout, Descriptor blob) {
            if (layout.hasBlob(blob.digest())) {
                skipped(blob);
                return;
            }
            Path part = layout.partPath(blob.digest());
            if (source instanceof InRegistry src) {
                AtomicLong got = new AtomicLong();
                client(src.ref().registry()).downloadBlob(src.ref().repository(), blob, part, n -> {
                    got.addAndGet(n);
                    bytesDone.addAndGet(n);
                    emit(false, false);
                });
                bytesTransferred.addAndGet(got.get());
            } else {
                copyVerified(((InLayout) source).layout(), blob, part);
                bytesDone.addAndGet(Math.max(0, blob.size()));
                bytesTransferred.addAndGet(Math.max(0, blob.size()));
            }
            layout.commitPart(blob.digest(), part);
            blobsTransferred.incrementAndGet();
            emit(false, false);
        }

        private void copyVerified(OciLayout from, Descriptor blob, Path part) {
            MessageDigest md = Digests.newSha256();
            try (InputStream in = Files.newInputStream(from.blobPath(blob.digest()));
                    OutputStream out = Files.newOutputStream(
                            part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buf = new byte[256 * 1024];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                throw KkException.failed(
                        "cannot copy blob " + blob.digest() + " from " + from.dir() + ": " + e.getMessage(),
                        "the layout is incomplete");
            }
            if (!Digests.format(md).equals(blob.digest())) {
                try {
                    Files.deleteIfExists(part);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                throw KkException.failed(
                        "blob " + blob.digest() + " in " + from.dir() + " is damaged; refused", "re-export the images");
            }
        }

        private void skipped(Descriptor blob) {
            blobsSkipped.incrementAndGet();
            bytesDone.addAndGet(Math.max(0, blob.size()));
            emit(false, false);
        }

        // ---- manifests ----

        private CopiedImage writeManifests(Plan p) {
            ImageEndpoint dest = p.request().destination();
            if (dest instanceof InRegistry reg) {
                RegistryClient c = client(reg.ref().registry());
                for (Manifest child : p.children()) {
                    c.putManifest(reg.ref().repository(), child.digest(), child);
                }
                io.kk.util.PausePoints.reached("push:children:" + reg.ref().repository());
                c.putManifest(reg.ref().repository(), reg.ref().reference(), p.root());
            } else {
                InLayout l = (InLayout) dest;
                for (Manifest child : p.children()) {
                    l.layout().writeBlob(child.bytes());
                }
                l.layout().writeBlob(p.root().bytes());
                l.layout().putEntry(l.refName(), p.root().descriptor());
            }
            imagesDone.incrementAndGet();
            events.emit(new Note(
                    Note.Level.DEBUG,
                    "copied " + p.request().source() + " -> " + dest + "@"
                            + p.root().digest()));
            emit(false, true);
            return copied(p, false);
        }

        private void emit(boolean finished, boolean force) {
            long now = System.nanoTime();
            if (!force && !finished && now - lastEmit < 100_000_000L) {
                return;
            }
            lastEmit = now;
            String label = "images " + imagesDone.get() + "/" + requests.size() + ", blobs " + blobsTransferred.get()
                    + " copied " + blobsSkipped.get() + " skipped " + blobsMounted.get() + " mounted";
            long total = bytesTotal;
            long done = total >= 0 ? Math.min(bytesDone.get(), total) : bytesDone.get();
            events.emit(new Progress("images/copy", label, "B", Math.max(0, done), total, finished));
        }

        /** Counts streamed bytes into the run's progress. */
        private final class Counting extends FilterInputStream {
            private final AtomicLong sent;

            Counting(InputStream in, AtomicLong sent) {
                super(in);
                this.sent = sent;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    sent.addAndGet(n);
                    bytesDone.addAndGet(n);
                    emit(false, false);
                }
                return n;
            }
        }
    }
}
