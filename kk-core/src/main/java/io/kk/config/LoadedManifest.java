package io.kk.config;

import io.kk.error.InvalidInputException;
import io.kk.error.Problem;
import java.util.List;

/** A loaded Manifest (null when unreadable) and every problem found. */
public record LoadedManifest(String file, Manifest manifest, List<Problem> problems) {
    public LoadedManifest {
        problems = List.copyOf(problems);
    }

    /** Problems that do not stop a run (unknown fields, ...): shown, then the run goes on. */
    public List<Problem> warnings() {
        return problems.stream().filter(p -> !p.isError()).toList();
    }

    public boolean hasErrors() {
        return manifest == null || problems.stream().anyMatch(Problem::isError);
    }

    public Manifest orThrow() {
        if (hasErrors()) {
            long n = problems.stream().filter(Problem::isError).count();
            throw new InvalidInputException(
                    (file.isEmpty() ? "the manifest" : file) + " has " + n + (n == 1 ? " error" : " errors"), problems);
        }
        return manifest;
    }
}
