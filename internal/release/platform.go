// Package release builds bulwark's release into a folder (dist/): for each
// platform a binary built reproducibly (-trimpath, the version stamped from
// git, no build paths or times), an archive of it, a CycloneDX SBOM of what
// went into it, the npm packages that carry the binaries, and SHA256SUMS
// over them all. Two builds of the same commit give the same bytes.
package release

import (
	"fmt"
	"strings"
)

// A Platform is one target of the build matrix.
type Platform struct {
	OS, Arch string // GOOS, GOARCH
	ARM      string // GOARM, for Arch "arm": "7"
}

// Platforms is the full matrix make release builds.
var Platforms = []Platform{
	{OS: "linux", Arch: "amd64"},
	{OS: "linux", Arch: "arm64"},
	{OS: "linux", Arch: "arm", ARM: "7"},
	{OS: "darwin", Arch: "amd64"},
	{OS: "darwin", Arch: "arm64"},
	{OS: "windows", Arch: "amd64"},
	{OS: "windows", Arch: "arm64"},
}

// ParsePlatform reads "linux/amd64" or "linux/arm/v7".
func ParsePlatform(s string) (Platform, error) {
	parts := strings.Split(s, "/")
	switch {
	case len(parts) == 2 && parts[1] != "arm":
		return Platform{OS: parts[0], Arch: parts[1]}, nil
	case len(parts) == 3 && parts[1] == "arm" && strings.HasPrefix(parts[2], "v"):
		return Platform{OS: parts[0], Arch: "arm", ARM: strings.TrimPrefix(parts[2], "v")}, nil
	}
	return Platform{}, fmt.Errorf("platform %q: want OS/ARCH such as linux/amd64, or linux/arm/v7", s)
}

// String is the platform as ParsePlatform reads it.
func (p Platform) String() string {
	if p.ARM != "" {
		return p.OS + "/" + p.Arch + "/v" + p.ARM
	}
	return p.OS + "/" + p.Arch
}

// Slug names the platform in file names: "linux_amd64", "linux_armv7".
func (p Platform) Slug() string {
	if p.ARM != "" {
		return p.OS + "_" + p.Arch + "v" + p.ARM
	}
	return p.OS + "_" + p.Arch
}

// Exe is the binary's file name on the platform.
func (p Platform) Exe() string {
	if p.OS == "windows" {
		return "bulwark.exe"
	}
	return "bulwark"
}

// Env is the go command's environment for building for the platform.
func (p Platform) Env() []string {
	env := []string{"GOOS=" + p.OS, "GOARCH=" + p.Arch, "CGO_ENABLED=0"}
	if p.ARM != "" {
		env = append(env, "GOARM="+p.ARM)
	}
	return env
}

// NodeOS and NodeCPU are Node's process.platform and process.arch of the
// platform, which npm matches against a package's os and cpu fields.
func (p Platform) NodeOS() string {
	if p.OS == "windows" {
		return "win32"
	}
	return p.OS
}

// NodeCPU: see [Platform.NodeOS].
func (p Platform) NodeCPU() string {
	if p.Arch == "amd64" {
		return "x64"
	}
	return p.Arch
}
