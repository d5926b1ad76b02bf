package io.kk.cluster.os;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A user script from {@code spec.system.preInstall} / {@code postInstall}.
 *
 * @param bash the script body, run by bash as root
 * @param role the hosts it runs on (a role name, {@code k8s}, or empty/{@code all} for every host)
 * @param materials local files uploaded next to the script first (its working directory)
 */
public record CustomScript(String name, String bash, String role, List<Path> materials) {
    public CustomScript {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bash, "bash");
        role = role == null ? "" : role;
        materials = materials == null ? List.of() : List.copyOf(materials);
    }
}
