package testenv

// Release tools Debian does not package, built from their Go modules like
// the engines and kept in the same cache: .ci/package builds the release
// packages and the container image with them.
var (
	// GoreleaserTool builds the archives and the .deb and .rpm packages.
	// v2.17.0 and later need a newer Go than 1.26.
	GoreleaserTool = Engine{Name: "goreleaser", Module: "github.com/goreleaser/goreleaser/v2", Version: "v2.16.0",
		Package: ".", Env: "MLTOP_GORELEASER_BIN"}
	// KoTool builds the container image of mltop serve without a
	// container engine.
	KoTool = Engine{Name: "ko", Module: "github.com/google/ko", Version: "v0.19.1",
		Package: ".", Env: "MLTOP_KO_BIN"}
)

// Tools lists them, for tools that build them all.
var Tools = []Engine{GoreleaserTool, KoTool}
