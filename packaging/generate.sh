#!/usr/bin/env bash
# generate.sh [VERSION]: writes what the packages and archives ship
# besides the binary: the shell completions and the man pages, made by
# mltop itself from its command definitions (mltop completion SHELL,
# mltop man --dir DIR), never by hand. goreleaser runs it before
# building (before.hooks); the output, packaging/generated/, is not
# committed.
set -euo pipefail
cd "$(dirname "$0")/.."

out=packaging/generated
rm -rf "$out"
mkdir -p "$out/completions" "$out/man"
bin=$out/mltop
# Built as the release builds are (-trimpath, no cgo), so they reuse its
# compiled packages.
# The version (generate.sh VERSION; goreleaser passes the release's) is
# in the man pages' header.
CGO_ENABLED=0 go build -trimpath -ldflags "-X main.version=${1:-dev}" -o "$bin" ./cmd/mltop

# The man pages' date: the commit's, so a rebuild makes the same pages.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || true)}
export SOURCE_DATE_EPOCH
"$bin" completion bash >"$out/completions/mltop.bash"
"$bin" completion zsh >"$out/completions/_mltop"
"$bin" completion fish >"$out/completions/mltop.fish"
"$bin" man --dir "$out/man"
rm "$bin"

# An empty script or no mltop.1 would make a package that installs
# nothing useful: stop the release instead.
for f in "$out"/completions/*; do
  [ -s "$f" ] || { echo "generate.sh: $f is empty" >&2; exit 1; }
done
[ -s "$out/man/mltop.1" ] || { echo "generate.sh: no man page mltop.1 in $out/man" >&2; exit 1; }
gzip -9n "$out"/man/*.1
echo "generate.sh: $(ls "$out/completions" | wc -l) completion scripts, $(ls "$out/man" | wc -l) man pages in $out"
