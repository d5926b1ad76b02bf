#!/usr/bin/env python3
"""Writes an OCI image layout with N multi-arch images for the image benchmark.

Per arch, layer 0 (the base) is shared by every image; the other layers are random bytes in a
one-file tar, gzip-wrapped without compression (so they stay the size asked for). Configs carry
real diff_ids. OCI media types (skopeo 1.9 reads only OCI-typed layout entries). Each image is
named bench/img<i>:v1. Writes `<repo> <digest>` for each distinct blob to DIR/blobs.txt (for the curl limit).
"""
import argparse, gzip, hashlib, io, json, os, tarfile

def blob(out, data):
    d = hashlib.sha256(data).hexdigest()
    p = os.path.join(out, "blobs", "sha256", d)
    if not os.path.exists(p):
        with open(p, "wb") as f:
            f.write(data)
    return "sha256:" + d, len(data)

def layer(size):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as t:
        info = tarfile.TarInfo("file0"); info.size = size; info.mtime = 0
        t.addfile(info, io.BytesIO(os.urandom(size)))
    tar = raw.getvalue()
    gz = gzip.compress(tar, compresslevel=0, mtime=0)
    return gz, "sha256:" + hashlib.sha256(tar).hexdigest()

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--images", type=int, default=12)
    ap.add_argument("--arches", default="amd64,arm64")
    ap.add_argument("--base-mb", type=float, default=40)
    ap.add_argument("--sizes-mb", default="20,10,5,2")
    a = ap.parse_args()
    os.makedirs(os.path.join(a.out, "blobs", "sha256"), exist_ok=True)
    with open(os.path.join(a.out, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion":"1.0.0"}')
    arches = a.arches.split(",")
    sizes = [int(float(s) * 1024 * 1024) for s in a.sizes_mb.split(",") if s]
    bases = {arch: layer(int(a.base_mb * 1024 * 1024)) for arch in arches}
    entries, digests, repo_of = [], set(), {}
    for i in range(a.images):
        children = []
        for arch in arches:
            layers = [bases[arch]] + [layer(s) for s in sizes]
            descs = []
            for gz, _ in layers:
                d, n = blob(a.out, gz); digests.add(d); repo_of.setdefault(d, "bench/img%d" % i)
                descs.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "size": n, "digest": d})
            cfg = json.dumps({"architecture": arch, "os": "linux", "config": {"Cmd": ["/file0"], "Labels": {"img": str(i)}},
                              "rootfs": {"type": "layers", "diff_ids": [diff for _, diff in layers]}}).encode()
            cd, cn = blob(a.out, cfg); digests.add(cd); repo_of.setdefault(cd, "bench/img%d" % i)
            man = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                              "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": cn, "digest": cd},
                              "layers": descs}).encode()
            md, mn = blob(a.out, man)
            children.append({"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": mn, "digest": md,
                             "platform": {"architecture": arch, "os": "linux"}})
        idx = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": children}).encode()
        xd, xn = blob(a.out, idx)
        name = "bench/img%d:v1" % i
        entries.append({"mediaType": "application/vnd.oci.image.index.v1+json", "size": xn, "digest": xd,
                        "annotations": {"org.opencontainers.image.ref.name": name, "io.containerd.image.name": name}})
    with open(os.path.join(a.out, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "manifests": entries}, f)
    with open(os.path.join(a.out, "blobs.txt"), "w") as f:
        f.write("".join("%s %s\n" % (repo_of[d], d) for d in sorted(digests)))
    total = sum(os.path.getsize(os.path.join(a.out, "blobs", "sha256", d[7:])) for d in digests)
    print("%d images x %d arches, %d distinct blobs, %.0f MB" % (a.images, len(arches), len(digests), total / 1e6))

main()
