package io.kk.cluster.os;

import java.nio.file.Path;
import java.util.Optional;

/** Where the OS packages come from. */
public sealed interface PackageSource {

    /** The local ISO for a host, or empty when packages come from the OS's own repositories. */
    Optional<Path> isoFor(String arch, OsRelease os);

    /** The ISO as the dry run shows it (the OS is not known before the precheck). */
    String describe(String arch);

    /** The OS's own repositories (the host has a mirror or internet). */
    record Online() implements PackageSource {
        @Override
        public Optional<Path> isoFor(String arch, OsRelease os) {
            return Optional.empty();
        }

        @Override
        public String describe(String arch) {
            return "";
        }
    }

    /**
     * The artifact's ISO tree, KubeKey's layout: {@code <root>/<arch>/<os id>/<version id>/<os
     * id>-<version id>-<arch>.iso}, picked per host from its /etc/os-release.
     */
    record IsoRepository(Path root) implements PackageSource {
        @Override
        public Optional<Path> isoFor(String arch, OsRelease os) {
            String file = os.id() + "-" + os.versionId() + "-" + arch + ".iso";
            return Optional.of(
                    root.resolve(arch).resolve(os.id()).resolve(os.versionId()).resolve(file));
        }

        @Override
        public String describe(String arch) {
            return root + "/" + arch + "/<os id>/<version>/<os id>-<version>-" + arch + ".iso";
        }
    }

    /** One ISO for every host (all hosts share one OS). */
    record IsoFile(Path iso) implements PackageSource {
        @Override
        public Optional<Path> isoFor(String arch, OsRelease os) {
            return Optional.of(iso);
        }

        @Override
        public String describe(String arch) {
            return iso.toString();
        }
    }
}
