package io.kk.config;

import io.kk.error.InvalidInputException;
import io.kk.error.Problem;
import java.util.List;

/**
 * The result of loading a Cluster config: the config (null when the file could not be read as one)
 * and every problem found.
 */
public record LoadedCluster(String file, ClusterConfig config, List<Problem> problems) {
    public LoadedCluster {
        problems = List.copyOf(problems);
    }

    public boolean hasErrors() {
        return config == null || problems.stream().anyMatch(Problem::isError);
    }

    public List<Problem> errors() {
        return problems.stream().filter(Problem::isError).toList();
    }

    public List<Problem> warnings() {
        return problems.stream().filter(p -> !p.isError()).toList();
    }

    /** The config; throws {@link InvalidInputException} (exit 2) listing all problems if any is an error. */
    public ClusterConfig orThrow() {
        if (hasErrors()) {
            long n = errors().size();
            throw new InvalidInputException(
                    (file.isEmpty() ? "the cluster config" : file) + " has " + n + (n == 1 ? " error" : " errors"),
                    problems);
        }
        return config;
    }
}
