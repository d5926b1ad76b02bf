#!/usr/bin/env python3
"""Regenerates kk's component catalog (a data file) from KubeKey's sha256 table.

Usage (from the repository root):
    kk-core/src/main/catalog/sync-catalog.py \
        kk-core/src/main/catalog/kubekey-components.json \
        kk-core/src/main/resources/io/kk/catalog/components.json

The input is kubesphere/kubekey `version/components.json` (3.x line, Apache-2.0):
component -> arch -> version -> sha256 hex. This script adds what kk needs beside the digests:
URL templates (upstream and KKZONE=cn), file names, the artifact path in KubeKey's tarball layout,
arch aliases, the upstream checksum file of each release and its format, and default versions.
The committed output is the source of truth at run time; rerun this script when KubeKey's table
grows, then review the diff.

Template placeholders (expanded by io.kk.catalog.Catalog):
  {version}      the version as listed (v1.28.2, 1.6.4, 2)
  {arch}         Go/Kubernetes arch (amd64, arm64)
  {archAlias}    the arch as the project spells it (x86_64, aarch64 for docker and compose)
  {file}         the component's file name (after expansion)
  {archSuffix}   a per-arch suffix from "archSuffixes" (k3s: "" or "-arm64")

checksumFormat:
  "bare"      the file holds the hex digest alone (Kubernetes `<binary>.sha256`)
  "sha256sum" lines `<hex>  <name>` (or `<hex> *<name>`); the line naming the upstream download
              (the last segment of the upstream URL) is used
"""
import json
import sys
from collections import OrderedDict

GH = "https://github.com"
QS = "https://kubernetes-release.pek3b.qingstor.com"

KUBE_BIN = lambda name: {
    "type": "kube",
    "file": name,
    "url": "https://dl.k8s.io/release/{version}/bin/linux/{arch}/" + name,
    "cnUrl": QS + "/release/{version}/bin/linux/{arch}/" + name,
    "checksumUrl": "https://dl.k8s.io/release/{version}/bin/linux/{arch}/" + name + ".sha256",
    "checksumFormat": "bare",
}

COMPONENTS = OrderedDict(
    [
        ("kubeadm", KUBE_BIN("kubeadm")),
        ("kubelet", KUBE_BIN("kubelet")),
        ("kubectl", KUBE_BIN("kubectl")),
        (
            "kubecni",
            {
                "type": "cni",
                "aliases": ["cni"],
                "file": "cni-plugins-linux-{arch}-{version}.tgz",
                "url": GH + "/containernetworking/plugins/releases/download/{version}/{file}",
                "cnUrl": "https://containernetworking.pek3b.qingstor.com/plugins/releases/download/{version}/{file}",
                "checksumUrl": GH + "/containernetworking/plugins/releases/download/{version}/{file}.sha256",
                "checksumFormat": "sha256sum",
                "default": "v1.2.0",
            },
        ),
        (
            "helm",
            {
                "type": "helm",
                "file": "helm",
                # Upstream ships a tarball; KubeKey keeps the bare binary (and hashes that).
                "url": "https://get.helm.sh/helm-{version}-linux-{arch}.tar.gz",
                "archiveMember": "linux-{arch}/helm",
                "cnUrl": "https://kubernetes-helm.pek3b.qingstor.com/linux-{arch}/{version}/helm",
                "checksumUrl": "https://get.helm.sh/helm-{version}-linux-{arch}.tar.gz.sha256sum",
                "checksumFormat": "sha256sum",
                "default": "v3.9.0",
            },
        ),
        (
            "etcd",
            {
                "type": "etcd",
                "file": "etcd-{version}-linux-{arch}.tar.gz",
                "url": GH + "/coreos/etcd/releases/download/{version}/{file}",
                "cnUrl": QS + "/etcd/release/download/{version}/{file}",
                "checksumUrl": GH + "/coreos/etcd/releases/download/{version}/SHA256SUMS",
                "checksumFormat": "sha256sum",
                "default": "v3.4.13",
            },
        ),
        (
            "containerd",
            {
                "type": "containerd",
                "file": "containerd-{version}-linux-{arch}.tar.gz",
                "url": GH + "/containerd/containerd/releases/download/v{version}/{file}",
                "cnUrl": QS + "/containerd/containerd/releases/download/v{version}/{file}",
                "checksumUrl": GH + "/containerd/containerd/releases/download/v{version}/{file}.sha256sum",
                "checksumFormat": "sha256sum",
                "default": "1.6.4",
            },
        ),
        (
            "runc",
            {
                "type": "runc",
                "file": "runc.{arch}",
                "url": GH + "/opencontainers/runc/releases/download/{version}/{file}",
                "cnUrl": QS + "/opencontainers/runc/releases/download/{version}/{file}",
                "checksumUrl": GH + "/opencontainers/runc/releases/download/{version}/runc.sha256sum",
                "checksumFormat": "sha256sum",
                # KubeKey v3.0.13 pins v1.1.1, which its 3.x table no longer lists; v3.1 uses v1.1.12.
                "default": "v1.1.12",
            },
        ),
        (
            "crictl",
            {
                "type": "crictl",
                "file": "crictl-{version}-linux-{arch}.tar.gz",
                "url": GH + "/kubernetes-sigs/cri-tools/releases/download/{version}/{file}",
                "cnUrl": QS + "/cri-tools/releases/download/{version}/{file}",
                "checksumUrl": GH + "/kubernetes-sigs/cri-tools/releases/download/{version}/{file}.sha256",
                "checksumFormat": "sha256sum",
                "default": "v1.24.0",
            },
        ),
        (
            "docker",
            {
                "type": "docker",
                "file": "docker-{version}.tgz",
                "archAliases": {"amd64": "x86_64", "arm64": "aarch64"},
                "url": "https://download.docker.com/linux/static/stable/{archAlias}/{file}",
                "cnUrl": "https://mirrors.aliyun.com/docker-ce/linux/static/stable/{archAlias}/{file}",
                "default": "24.0.6",
            },
        ),
        (
            "cri-dockerd",
            {
                "type": "cri-dockerd",
                "file": "cri-dockerd-{version}.{arch}.tgz",
                "url": GH + "/Mirantis/cri-dockerd/releases/download/v{version}/{file}",
                "cnUrl": QS + "/cri-dockerd/releases/download/v{version}/{file}",
                "default": "0.3.10",
            },
        ),
        (
            "calicoctl",
            {
                "type": "cni",
                "file": "calicoctl",
                "url": GH + "/projectcalico/calico/releases/download/{version}/calicoctl-linux-{arch}",
                "cnUrl": QS + "/projectcalico/calico/releases/download/{version}/calicoctl-linux-{arch}",
                # Calico attaches SHA256SUMS to its releases since v3.23 (projectcalico/calico#5960)
                "checksumUrl": GH + "/projectcalico/calico/releases/download/{version}/SHA256SUMS",
                "checksumFormat": "sha256sum",
                "default": "v3.26.1",
            },
        ),
        (
            "registry",
            {
                "type": "registry",
                "registryLayout": True,
                "aliases": ["docker-registry"],
                "file": "registry-{version}-linux-{arch}.tar.gz",
                "url": GH + "/kubesphere/kubekey/releases/download/v2.0.0-alpha.1/{file}",
                "cnUrl": QS + "/registry/{version}/{file}",
                "default": "2",
            },
        ),
        (
            "harbor",
            {
                "type": "registry",
                "registryLayout": True,
                "file": "harbor-offline-installer-{version}.tgz",
                "url": GH + "/goharbor/harbor/releases/download/{version}/{file}",
                "cnUrl": QS + "/harbor/releases/download/{version}/{file}",
                "default": "v2.5.3",
            },
        ),
        (
            "compose",
            {
                "type": "registry",
                "registryLayout": True,
                "aliases": ["docker-compose"],
                "file": "docker-compose-linux-{archAlias}",
                "archAliases": {"amd64": "x86_64", "arm64": "aarch64"},
                "url": GH + "/docker/compose/releases/download/{version}/{file}",
                "cnUrl": QS + "/docker/compose/releases/download/{version}/{file}",
                "checksumUrl": GH + "/docker/compose/releases/download/{version}/{file}.sha256",
                "checksumFormat": "sha256sum",
                "default": "v2.2.2",
            },
        ),
        (
            "buildx",
            {
                "type": "buildx",
                "file": "buildx-{version}.linux-{arch}",
                "url": GH + "/docker/buildx/releases/download/{version}/{file}",
                "cnUrl": QS + "/docker/buildx/releases/download/{version}/{file}",
                "checksumUrl": GH + "/docker/buildx/releases/download/{version}/checksums.txt",
                "checksumFormat": "sha256sum",
                "default": "v0.14.0",
            },
        ),
        (
            "k3s",
            {
                "type": "kube",
                "file": "k3s",
                # KubeKey lists k3s as v1.24.7 and fetches the +k3s1 build.
                "url": GH + "/k3s-io/k3s/releases/download/{version}+k3s1/k3s{archSuffix}",
                "cnUrl": QS + "/k3s/releases/download/{version}+k3s1/linux/{arch}/k3s",
                # k3s publishes sha256sum-<arch>.txt listing k3s / k3s-arm64
                "checksumUrl": GH + "/k3s-io/k3s/releases/download/{version}+k3s1/sha256sum-{arch}.txt",
                "checksumFormat": "sha256sum",
                "archSuffixes": {"amd64": "", "arm64": "-arm64"},
            },
        ),
    ]
)

ARCHES = ["amd64", "arm64"]


def semver_key(v):
    parts = v.lstrip("v").split("+")[0].split("-")[0].split(".")
    return [int(p) if p.isdigit() else 0 for p in parts]


def main(src, dst):
    with open(src) as f:
        table = json.load(f)
    out = OrderedDict()
    out["origin"] = (
        "sha256 digests from kubesphere/kubekey version/components.json (3.x line, commit 44214fe), "
        "Apache License 2.0; generated by kk-core/src/main/catalog/sync-catalog.py"
    )
    out["defaultKubernetesVersion"] = "v1.23.10"
    comps = OrderedDict()
    for name, spec in COMPONENTS.items():
        digests = table.get(name)
        if digests is None:
            raise SystemExit("component missing from KubeKey's table: " + name)
        entry = OrderedDict(spec)
        sha = OrderedDict()
        for arch in ARCHES:
            versions = digests.get(arch, {})
            sha[arch] = OrderedDict((v, versions[v]) for v in sorted(versions, key=semver_key))
        entry["sha256"] = sha
        comps[name] = entry
    unused = sorted(set(table) - set(COMPONENTS))
    if unused:
        print("note: components in KubeKey's table that kk does not describe: " + ", ".join(unused))
    out["components"] = comps
    with open(dst, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
