package io.kk.image.layout;

import io.kk.image.ImageReference;
import io.kk.image.Platform;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names KubeKey gives single-arch entries in its artifact's layout, and what they mean:
 *
 * <ul>
 *   <li>v3.1: {@code <full image>-<arch>[-<variant>]}, e.g. {@code
 *       docker.io/calico/cni:v3.23.2-amd64};
 *   <li>v2.1 to v3.0: {@code <ns>:<path>:<tag>-<arch>[-<variant>]}, the source host dropped, e.g.
 *       {@code calico:cni:v3.23.2-amd64} or {@code ns:a/b:tag-arm64}.
 * </ul>
 *
 * The arch suffix is read as KubeKey does: the last {@code -x} is the arch if it is a known
 * architecture, else it is the variant and the {@code -y} before it is the arch.
 *
 * @param namespace the namespace KubeKey's rewrite sees ({@code calico}); empty when none
 * @param repo the rest of the path ({@code cni})
 * @param tag the tag without the arch suffix
 * @param platform os linux, the suffix's arch and variant
 */
public record KubeKeyRefName(String namespace, String repo, String tag, Platform platform) {
    private static final Set<String> KNOWN_ARCHES = Set.of(
            "386",
            "amd64",
            "amd64p32",
            "arm",
            "armbe",
            "arm64",
            "arm64be",
            "ppc64",
            "ppc64le",
            "loong64",
            "mips",
            "mipsle",
            "mips64",
            "mips64le",
            "mips64p32",
            "mips64p32le",
            "ppc",
            "riscv",
            "riscv64",
            "s390",
            "s390x",
            "sparc",
            "sparc64",
            "wasm");
    private static final Pattern PORT_PATH = Pattern.compile("\\d+/.*");

    /** Parses a KubeKey entry name; null when the name has no arch suffix KubeKey would write. */
    public static KubeKeyRefName parse(String refName) {
        if (refName == null) {
            return null;
        }
        String[] parts = refName.split(":", -1);
        boolean v30 = parts.length == 3
                && !parts[0].contains("/")
                && !PORT_PATH.matcher(parts[1]).matches();
        String name;
        String tagWithArch;
        if (v30) {
            name = parts[0] + "/" + parts[1];
            tagWithArch = parts[2];
        } else {
            int colon = refName.lastIndexOf(':');
            if (colon < 0 || colon < refName.lastIndexOf('/')) {
                return null;
            }
            name = refName.substring(0, colon);
            tagWithArch = refName.substring(colon + 1);
        }
        int dash = tagWithArch.lastIndexOf('-');
        if (dash <= 0) {
            return null;
        }
        String last = tagWithArch.substring(dash + 1);
        String tag;
        Platform platform;
        if (KNOWN_ARCHES.contains(last)) {
            tag = tagWithArch.substring(0, dash);
            platform = new Platform("linux", last, "");
        } else {
            String before = tagWithArch.substring(0, dash);
            int dash2 = before.lastIndexOf('-');
            if (dash2 <= 0 || !KNOWN_ARCHES.contains(before.substring(dash2 + 1))) {
                return null;
            }
            tag = before.substring(0, dash2);
            platform = new Platform("linux", before.substring(dash2 + 1), last);
        }
        if (v30) {
            return new KubeKeyRefName(parts[0], parts[1], tag, platform);
        }
        ImageReference ref;
        try {
            ref = ImageReference.parse(name + ":" + tag);
        } catch (RuntimeException e) {
            return null;
        }
        String path = ref.repository();
        int slash = path.lastIndexOf('/');
        return new KubeKeyRefName(slash < 0 ? "" : path.substring(0, slash), path.substring(slash + 1), tag, platform);
    }

    /** The tag KubeKey pushes the single-arch image under: {@code <tag>-<arch>[-<variant>]}. */
    public String archTag() {
        return tag + "-" + platform.architecture() + (platform.variant().isEmpty() ? "" : "-" + platform.variant());
    }
}
