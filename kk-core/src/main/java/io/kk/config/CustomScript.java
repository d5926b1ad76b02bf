package io.kk.config;

import java.util.List;

/** A user script run on hosts (system.preInstall and friends). */
public record CustomScript(String name, String bash, String role, List<String> materials) {
    public CustomScript {
        materials = List.copyOf(materials);
    }
}
