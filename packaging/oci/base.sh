#!/usr/bin/env bash
# base.sh LAYOUT: writes mltop's base image, for ko, into the OCI image
# layout LAYOUT and prints the image's digest (sha256:...).
#
# The image is a scratch root with only what `mltop serve` reads besides
# its own binary: CA certificates (this machine's, for https sources), a
# passwd and group naming the unprivileged user it runs as (65532, "mltop"),
# /tmp, and its state directory /var/lib/mltop owned by that user. Made
# here rather than pulled, so an image builds without a registry.
set -euo pipefail
layout=${1:?usage: base.sh LAYOUT}
certs=/etc/ssl/certs/ca-certificates.crt
[ -r "$certs" ] || { echo "base.sh: $certs is missing: install Debian's ca-certificates" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root/etc/ssl/certs" "$root/tmp" "$root/var/lib/mltop" "$root/etc/mltop"
cp "$certs" "$root/etc/ssl/certs/ca-certificates.crt"
printf 'root:x:0:0:root:/root:/sbin/nologin\nmltop:x:65532:65532:mltop:/var/lib/mltop:/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\nmltop:x:65532:\n' >"$root/etc/group"
chmod 0644 "$root/etc/passwd" "$root/etc/group" "$root/etc/ssl/certs/ca-certificates.crt"
chmod 1777 "$root/tmp"
chmod 0700 "$root/var/lib/mltop"

# One reproducible layer: fixed order, owners and times.
tarflags=(--format=gnu --sort=name --mtime=@0 --numeric-owner -C "$root")
tar -cf "$work/layer.tar" "${tarflags[@]}" --owner=0 --group=0 --exclude=var/lib/mltop etc tmp var
tar -rf "$work/layer.tar" "${tarflags[@]}" --owner=65532 --group=65532 --no-recursion var/lib/mltop
gzip -9n <"$work/layer.tar" >"$work/layer.tar.gz"

sha() { sha256sum "$1" | cut -d' ' -f1; }
size() { stat -c %s "$1"; }
blobs=$layout/blobs/sha256
mkdir -p "$blobs"
blob() { local h; h=$(sha "$1"); cp "$1" "$blobs/$h"; echo "$h"; }

diffid=$(sha "$work/layer.tar")
layer=$(blob "$work/layer.tar.gz")
cat >"$work/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z","config":{"User":"65532:65532","Env":["PATH=/usr/bin:/bin","SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt","HOME=/var/lib/mltop","XDG_STATE_HOME=/var/lib"],"WorkingDir":"/var/lib/mltop"},"rootfs":{"type":"layers","diff_ids":["sha256:$diffid"]},"history":[{"created":"1970-01-01T00:00:00Z","created_by":"packaging/oci/base.sh"}]}
JSON
config=$(blob "$work/config.json")
cat >"$work/manifest.json" <<JSON
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:$config","size":$(size "$work/config.json")},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:$layer","size":$(size "$work/layer.tar.gz")}]}
JSON
manifest=$(blob "$work/manifest.json")
printf '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
cat >"$layout/index.json" <<JSON
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:$manifest","size":$(size "$work/manifest.json"),"platform":{"architecture":"amd64","os":"linux"}}]}
JSON
echo "sha256:$manifest"
