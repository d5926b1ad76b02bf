package io.kk.config;

/**
 * Which Kubernetes versions kk can deliver (the component catalog answers this). Config does not
 * depend on the catalog; the caller passes this in.
 */
@FunctionalInterface
public interface KnownVersions {
    /** Accepts every version: no "not in the catalog" warning. */
    KnownVersions ANY = v -> true;

    boolean isKnown(String kubernetesVersion);
}
