package release

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
)

// Options say what to build and where.
type Options struct {
	Root      string     // the module's root (holds go.mod). If empty, ".".
	Dist      string     // the release folder; it must be empty or absent. If empty, Root/dist.
	Stamp     Stamp      // version, commit and date. If Version is empty, [StampFromGit] of Root.
	Platforms []Platform // If nil, [Platforms].
	NoSBOM    bool       // skip the SBOMs
	NoNPM     bool       // skip the npm packages
	Go, NPM   string     // the go and npm commands. If empty, "go" and "npm".
	Log       io.Writer  // progress, one line a step. If nil, discarded.
}

func (o *Options) goCmd() string { return cmp(o.Go, "go") }
func (o *Options) npm() string   { return cmp(o.NPM, "npm") }

func cmp(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Build builds the release into o.Dist: for each platform,
// bulwark_VERSION_OS_ARCH.tar.gz (.zip for Windows) holding the binary,
// the README, docs/install.md and the systemd units, and
// bulwark_VERSION_OS_ARCH.cdx.json, its SBOM; the npm packages (bulwark-…tgz,
// bulwark-sec-OS-CPU-….tgz); and SHA256SUMS over all of them. The binaries
// stay unpacked in o.Dist/OS_ARCH/. It returns the files named in
// SHA256SUMS.
func Build(ctx context.Context, o Options) ([]string, error) {
	if o.Root == "" {
		o.Root = "."
	}
	if o.Dist == "" {
		o.Dist = filepath.Join(o.Root, "dist")
	}
	if o.Platforms == nil {
		o.Platforms = Platforms
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	if o.Stamp.Version == "" {
		s, err := StampFromGit(ctx, o.Root)
		if err != nil {
			return nil, err
		}
		o.Stamp = s
	}
	if err := o.Stamp.Validate(); err != nil {
		return nil, err
	}
	if ents, err := os.ReadDir(o.Dist); err == nil && len(ents) > 0 {
		return nil, fmt.Errorf("%s is not empty: remove it first (make release does), so no file of an older release is mixed in", o.Dist)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if err := os.MkdirAll(o.Dist, 0o755); err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp("", "bulwark-release-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)

	var tool string
	if !o.NoSBOM {
		fmt.Fprintf(o.Log, "installing %s\n", SBOMTool)
		if tool, err = installSBOMTool(ctx, &o, filepath.Join(work, "tools")); err != nil {
			return nil, err
		}
	}
	var listed []string
	binaries := map[Platform]string{}
	for _, p := range o.Platforms {
		fmt.Fprintf(o.Log, "building %s %s\n", o.Stamp.Version, p)
		bin := filepath.Join(o.Dist, p.Slug(), p.Exe())
		if err := buildBinary(ctx, &o, p, bin); err != nil {
			return nil, err
		}
		binaries[p] = bin
		base := "bulwark_" + o.Stamp.Version + "_" + p.Slug()
		archive, err := writeArchive(&o, p, bin, base)
		if err != nil {
			return nil, fmt.Errorf("archiving %s: %w", p, err)
		}
		listed = append(listed, archive)
		if tool != "" {
			sbom := base + ".cdx.json"
			if err := writeSBOM(ctx, &o, tool, p, filepath.Join(o.Dist, sbom)); err != nil {
				return nil, err
			}
			listed = append(listed, sbom)
		}
	}
	if !o.NoNPM {
		fmt.Fprintf(o.Log, "packing the npm packages\n")
		packed, err := packNPM(ctx, &o, work, binaries)
		if err != nil {
			return nil, err
		}
		listed = append(listed, packed...)
	}
	if err := writeSums(o.Dist, listed); err != nil {
		return nil, err
	}
	return listed, nil
}

// buildBinary builds cmd/bulwark for p into dst, reproducibly: no build
// paths (-trimpath), no VCS stamp of the go command (the stamp is ours, in
// ldflags, so a build from an export without .git is the same), no cgo.
func buildBinary(ctx context.Context, o *Options, p Platform, dst string) error {
	abs, err := filepath.Abs(dst)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, o.goCmd(), "build", "-trimpath", "-buildvcs=false",
		"-ldflags", o.Stamp.ldflags(), "-o", abs, "./cmd/bulwark")
	cmd.Dir = o.Root
	cmd.Env = append(os.Environ(), p.Env()...)
	cmd.Env = append(cmd.Env, "GOFLAGS=-mod=readonly")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build for %s: %w\n%s", p, err, out.Bytes())
	}
	return nil
}

// writeArchive archives the binary with the documents an operator needs
// into o.Dist/base.tar.gz (base.zip for Windows) and returns its name.
func writeArchive(o *Options, p Platform, bin, base string) (string, error) {
	entries := []entry{
		{name: base + "/" + p.Exe(), src: bin, mode: 0o755},
		{name: base + "/README.md", src: filepath.Join(o.Root, "README.md"), mode: 0o644},
		{name: base + "/docs/install.md", src: filepath.Join(o.Root, "docs", "install.md"), mode: 0o644},
	}
	if p.OS == "linux" {
		for _, unit := range []string{"bulwark-guard.service", "bulwark-watch.service"} {
			entries = append(entries, entry{name: base + "/systemd/" + unit, src: filepath.Join(o.Root, "packaging", "systemd", unit), mode: 0o644})
		}
	}
	if p.OS == "windows" {
		name := base + ".zip"
		return name, writeZip(filepath.Join(o.Dist, name), entries, o.Stamp.Date)
	}
	name := base + ".tar.gz"
	return name, writeTarGz(filepath.Join(o.Dist, name), entries, o.Stamp.Date)
}
