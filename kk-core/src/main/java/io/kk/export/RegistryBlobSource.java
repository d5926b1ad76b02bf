package io.kk.export;

import io.kk.artifact.PieceSource;
import io.kk.image.Descriptor;
import io.kk.image.registry.RegistryClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * One image blob fetched from its source registry, resuming a partial file with a Range request
 * (the registry client hashes what it reads and refuses a blob that does not match its digest).
 */
final class RegistryBlobSource implements PieceSource {
    private final RegistryClient client;
    private final String repository;
    private final Descriptor blob;

    RegistryBlobSource(RegistryClient client, String repository, Descriptor blob) {
        this.client = client;
        this.repository = repository;
        this.blob = blob;
    }

    String registry() {
        return client.registry();
    }

    String repository() {
        return repository;
    }

    Descriptor blob() {
        return blob;
    }

    @Override
    public void fetchInto(Path partial, LongConsumer fetched) throws IOException {
        long have = Files.exists(partial) ? Files.size(partial) : 0;
        // The client reports the bytes already in the partial file first; the writer wants new bytes only.
        boolean[] skipFirst = {have > 0};
        client.downloadBlob(repository, blob, partial, n -> {
            if (skipFirst[0]) {
                skipFirst[0] = false;
                return;
            }
            fetched.accept(n);
        });
    }

    @Override
    public String describe() {
        return client.registry() + "/" + repository + "@" + blob.digest();
    }
}
