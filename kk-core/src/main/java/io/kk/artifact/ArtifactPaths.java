package io.kk.artifact;

/**
 * KubeKey v2/v3's paths inside an artifact (and inside its work dir after import, where {@code
 * create cluster} finds them as "already downloaded"). One place for the conventions, so the
 * export planner and {@code inspect} agree.
 */
public final class ArtifactPaths {
    /** The OCI image layout holding every image and arch. */
    public static final String IMAGES = "images";

    public static final String OCI_LAYOUT = "images/oci-layout";
    public static final String IMAGES_INDEX = "images/index.json";

    private ArtifactPaths() {}

    /**
     * A binary: {@code <type>/<version>/<arch>/<file>}, e.g. {@code kube/v1.28.2/amd64/kubeadm},
     * {@code etcd/v3.5.9/amd64/etcd-v3.5.9-linux-amd64.tar.gz}, {@code cni/v3.26.1/amd64/calicoctl}.
     */
    public static String binary(String type, String version, String arch, String fileName) {
        return type + "/" + version + "/" + arch + "/" + fileName;
    }

    /**
     * A registry part: {@code registry/<id>/<version>/<arch>/<file>}, e.g. {@code
     * registry/harbor/v2.5.3/amd64/harbor-offline-installer-v2.5.3.tgz}.
     */
    public static String registry(String id, String version, String arch, String fileName) {
        return "registry/" + id + "/" + version + "/" + arch + "/" + fileName;
    }

    /** An OS repository ISO: {@code repository/<arch>/<id>/<version>/<id>-<version>-<arch>.iso}. */
    public static String repositoryIso(String arch, String id, String version) {
        return "repository/" + arch + "/" + id + "/" + version + "/" + id + "-" + version + "-" + arch + ".iso";
    }

    /** The directory of Helm charts. */
    public static final String CHARTS = "charts";

    /**
     * A Helm chart package: {@code charts/<name>-<version>.tgz} (Helm's own package name), e.g.
     * {@code charts/nfs-client-provisioner-4.0.11.tgz}. The addons phase installs from this path.
     */
    public static String chart(String name, String version) {
        return CHARTS + "/" + name + "-" + version + ".tgz";
    }

    /** A blob of the image layout: {@code images/blobs/sha256/<hex>} for {@code sha256:<hex>}. */
    public static String blob(String digest) {
        if (!digest.startsWith("sha256:")) {
            throw new IllegalArgumentException("only sha256 digests are stored: " + digest);
        }
        return "images/blobs/sha256/" + digest.substring("sha256:".length());
    }
}
