#!/usr/bin/env python3
"""Pushes a two-platform image to a registry through its HTTP API: an OCI
index of two image manifests (linux/amd64 and linux/arm64), each with its own
config and one layer holding /platform.txt. Docker's 20.10 CLI cannot make a
multi-platform index here, so the fixture is built by hand.

Usage: push_index.py [REGISTRY] [REPOSITORY] [TAG] [SALT] [oci|docker]
(docker: a Docker schema 2 manifest list of Docker manifests instead.)
Prints the index digest, then each platform's manifest and config digests,
as JSON. Plain HTTP: for the loopback test registry only.
"""

import base64
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile
import urllib.request

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
DOCKER_TYPES = {
    OCI_INDEX: "application/vnd.docker.distribution.manifest.list.v2+json",
    OCI_MANIFEST: "application/vnd.docker.distribution.manifest.v2+json",
    OCI_CONFIG: "application/vnd.docker.container.image.v1+json",
    OCI_LAYER: "application/vnd.docker.image.rootfs.diff.tar.gzip",
}


def digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def request(method, url, data=None, headers=None):
    headers = dict(headers or {})
    # BERTH_REGISTRY_AUTH=user:password for a registry that asks (basic auth).
    auth = os.environ.get("BERTH_REGISTRY_AUTH")
    if auth:
        headers["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode()
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, dict(r.headers), r.read()


def push_blob(base, repo, data):
    d = digest(data)
    _, headers, _ = request("POST", f"{base}/v2/{repo}/blobs/uploads/")
    location = headers["Location"]
    if location.startswith("/"):
        location = base + location
    sep = "&" if "?" in location else "?"
    request("PUT", f"{location}{sep}digest={d}", data, {"Content-Type": "application/octet-stream"})
    return d


def push_manifest(base, repo, ref, data, media_type):
    request("PUT", f"{base}/v2/{repo}/manifests/{ref}", data, {"Content-Type": media_type})
    return digest(data)


def layer(text: str):
    """A one-file layer: its gzip blob and the digest of the plain tar (diff ID)."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        body = text.encode()
        info = tarfile.TarInfo("platform.txt")
        info.size = len(body)
        info.mtime = 0
        tar.addfile(info, io.BytesIO(body))
    plain = raw.getvalue()
    return gzip.compress(plain, mtime=0), digest(plain)


def main():
    registry = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:5000"
    repo = sys.argv[2] if len(sys.argv) > 2 else "berth-fixture/multi"
    tag = sys.argv[3] if len(sys.argv) > 3 else "1"
    salt = sys.argv[4] if len(sys.argv) > 4 else ""
    docker = len(sys.argv) > 5 and sys.argv[5] == "docker"
    mt = (lambda t: DOCKER_TYPES[t]) if docker else (lambda t: t)
    base = f"http://{registry}"
    entries, out = [], {"platforms": {}}
    for arch in ("amd64", "arm64"):
        blob, diff_id = layer(f"{arch}{salt}\n")
        layer_digest = push_blob(base, repo, blob)
        config = json.dumps(
            {
                "architecture": arch,
                "os": "linux",
                **({"variant": "v8"} if arch == "arm64" else {}),
                "config": {"Cmd": ["cat", "/platform.txt"], "Labels": {"berth.fixture": "multi"}},
                "rootfs": {"type": "layers", "diff_ids": [diff_id]},
                "history": [{"created_by": "COPY platform.txt /"}, {"created_by": 'CMD ["cat" "/platform.txt"]', "empty_layer": True}],
            },
            sort_keys=True,
        ).encode()
        config_digest = push_blob(base, repo, config)
        manifest = json.dumps(
            {
                "schemaVersion": 2,
                "mediaType": mt(OCI_MANIFEST),
                "config": {"mediaType": mt(OCI_CONFIG), "digest": config_digest, "size": len(config)},
                "layers": [{"mediaType": mt(OCI_LAYER), "digest": layer_digest, "size": len(blob)}],
            },
            sort_keys=True,
        ).encode()
        manifest_digest = push_manifest(base, repo, digest(manifest), manifest, mt(OCI_MANIFEST))
        platform = {"architecture": arch, "os": "linux", **({"variant": "v8"} if arch == "arm64" else {})}
        entries.append({"mediaType": mt(OCI_MANIFEST), "digest": manifest_digest, "size": len(manifest), "platform": platform})
        out["platforms"][arch] = {"manifest": manifest_digest, "config": config_digest, "layer": layer_digest, "diffId": diff_id}
    index = json.dumps({"schemaVersion": 2, "mediaType": mt(OCI_INDEX), "manifests": entries}, sort_keys=True).encode()
    out["index"] = push_manifest(base, repo, tag, index, mt(OCI_INDEX))
    out["reference"] = f"{registry}/{repo}:{tag}"
    print(json.dumps(out))


if __name__ == "__main__":
    main()
