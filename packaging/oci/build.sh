#!/usr/bin/env bash
# build.sh OUT.tar [VERSION]: builds the container image of mltop serve
# with ko, without a container engine or a registry, into the image
# tarball OUT.tar (`docker load -i OUT.tar`, `podman load -i OUT.tar`).
#
# The base is made here (base.sh) and handed to ko through its cache of
# base images, by digest, so nothing is pulled. The image runs
# /ko-app/mltop as user 65532 with its state in /var/lib/mltop:
#   docker run -v /etc/mltop:/etc/mltop:ro -v mltop:/var/lib/mltop -p 2222:2222 \
#     ghcr.io/mltop/mltop:VERSION serve --config /etc/mltop/config.yaml --listen 0.0.0.0:2222
# ko is $KO, else ko on PATH (go run ./internal/testenv/cmd/buildengines -path ko builds it).
set -euo pipefail
out=${1:?usage: build.sh OUT.tar [VERSION]}
version=${2:-dev}
here=$(cd "$(dirname "$0")" && pwd)
ko=${KO:-ko}
case "$out" in /*) ;; *) out=$PWD/$out ;; esac

cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
base=$("$here/base.sh" "$cache/img")

cd "$here/../.."
# --bare: the image is named ghcr.io/mltop/mltop, not after the import path.
KOCACHE=$cache KO_CONFIG_PATH=$here/ko.yaml KO_DOCKER_REPO=ghcr.io/mltop/mltop \
  KO_DEFAULTBASEIMAGE=mltop.invalid/base@$base MLTOP_VERSION=$version \
  "$ko" build ./cmd/mltop --bare --push=false --tarball "$out" --tags "$version" \
  --platform linux/amd64 --sbom none \
  --image-label org.opencontainers.image.title=mltop \
  --image-label org.opencontainers.image.version="$version" \
  --image-label org.opencontainers.image.source=https://github.com/mltop/mltop
