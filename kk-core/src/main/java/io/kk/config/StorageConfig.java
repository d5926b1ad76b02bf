package io.kk.config;

/**
 * Local storage (OpenEBS local PV).
 *
 * @param openebsBasePath {@code storage.openebs.basePath}
 * @param localStorage {@code --with-local-storage} (not in the file): true or false when given, null
 *     to follow KubeKey's default (on with KubeSphere)
 */
public record StorageConfig(String openebsBasePath, Boolean localStorage) {
    public StorageConfig(String openebsBasePath) {
        this(openebsBasePath, null);
    }

    /** Whether OpenEBS local PV is deployed: as asked, else when KubeSphere is (KubeKey 3.1). */
    public boolean deployLocalStorage(boolean kubesphereEnabled) {
        return localStorage != null ? localStorage : kubesphereEnabled;
    }
}
