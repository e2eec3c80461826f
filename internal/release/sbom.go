package release

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// SBOMTool is the CycloneDX generator for Go modules that writes the SBOMs,
// installed at this version by the release build into a folder of its own:
// the product's go.mod does not depend on it.
const SBOMTool = "github.com/CycloneDX/cyclonedx-gomod/cmd/cyclonedx-gomod@v1.10.0"

// installSBOMTool builds SBOMTool for this machine into bin and returns the
// program's path.
func installSBOMTool(ctx context.Context, o *Options, bin string) (string, error) {
	cmd := exec.CommandContext(ctx, o.goCmd(), "install", SBOMTool)
	cmd.Env = append(os.Environ(), "GOBIN="+bin, "GOOS=", "GOARCH=", "GOARM=", "GOFLAGS=")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go install %s: %w\n%s", SBOMTool, err, out.Bytes())
	}
	return filepath.Join(bin, "cyclonedx-gomod"), nil
}

// writeSBOM writes the CycloneDX SBOM (JSON) of cmd/bulwark as built for p
// to dst: the modules that go into that platform's binary, the Go standard
// library's version, no serial number or timestamp (so it is reproducible).
func writeSBOM(ctx context.Context, o *Options, tool string, p Platform, dst string) error {
	abs, err := filepath.Abs(dst)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, tool, "app", "-json", "-std", "-noserial", "-notimestamp",
		"-main", "cmd/bulwark", "-output", abs, ".")
	cmd.Dir = o.Root
	cmd.Env = append(os.Environ(), p.Env()...)
	cmd.Env = append(cmd.Env, "GOFLAGS=-mod=readonly")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("SBOM for %s: %w\n%s", p, err, out.Bytes())
	}
	return nil
}
