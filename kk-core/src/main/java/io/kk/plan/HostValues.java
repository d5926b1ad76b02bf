package io.kk.plan;

import io.kk.error.KkException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A typed per-host result handed from one step to later ones: a facts task fills it, later actions
 * receive the same object through their constructor and read it. Replaces KubeKey's string-keyed
 * host caches: the type says what is in it and the compiler checks every reader.
 *
 * @param <T> what each host's value is, e.g. the facts gathered by a precheck
 */
public final class HostValues<T> {
    private final String what;
    private final Map<String, T> values = new ConcurrentHashMap<>();

    /** @param what what the values are, for the message when one is missing */
    public HostValues(String what) {
        this.what = what;
    }

    public void put(Target host, T value) {
        values.put(host.name(), value);
    }

    /** The host's value; a missing one is a bug in the pipeline's order. */
    public T get(Target host) {
        T v = values.get(host.name());
        if (v == null) {
            throw KkException.internal(what + " of " + host.name() + " read before it was produced", null);
        }
        return v;
    }

    public Optional<T> find(Target host) {
        return Optional.ofNullable(values.get(host.name()));
    }

    /** A copy of all values, keyed by host name. */
    public Map<String, T> asMap() {
        return Map.copyOf(values);
    }
}
