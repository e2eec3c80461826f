package release

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// NPMScope is the npm scope of the per-platform packages.
const NPMScope = "@bulwark-sec"

// npmPackageName is the platform package's name: "@bulwark-sec/linux-x64".
func npmPackageName(p Platform) string {
	return NPMScope + "/" + p.NodeOS() + "-" + p.NodeCPU()
}

// npmPackFile is the file npm pack writes for a package and version:
// "@bulwark-sec/linux-x64" → "bulwark-sec-linux-x64-1.2.3.tgz".
func npmPackFile(name, version string) string {
	return strings.ReplaceAll(strings.TrimPrefix(name, "@"), "/", "-") + "-" + version + ".tgz"
}

// packNPM stages the main package (from root/npm/bulwark) and one package
// per platform (holding binaries[p]) in work, and packs each into dist with
// npm pack. It returns the names of the files written to dist.
func packNPM(ctx context.Context, o *Options, work string, binaries map[Platform]string) ([]string, error) {
	version := o.Stamp.NPMVersion()
	var written []string
	optional := map[string]string{}
	for _, p := range o.Platforms {
		name := npmPackageName(p)
		if _, dup := optional[name]; dup {
			return nil, fmt.Errorf("two platforms map to the npm package %s", name)
		}
		optional[name] = version
		dir := filepath.Join(work, "npm", p.Slug())
		if err := os.MkdirAll(filepath.Join(dir, "bin"), 0o755); err != nil {
			return nil, err
		}
		if err := copyFile(binaries[p], filepath.Join(dir, "bin", p.Exe()), 0o755); err != nil {
			return nil, err
		}
		manifest := map[string]any{
			"name":            name,
			"version":         version,
			"description":     fmt.Sprintf("The bulwark binary for %s on %s; install the bulwark package instead.", p.NodeOS(), p.NodeCPU()),
			"license":         "UNLICENSED",
			"repository":      map[string]string{"type": "git", "url": "git+https://github.com/bulwark-sec/bulwark.git"},
			"os":              []string{p.NodeOS()},
			"cpu":             []string{p.NodeCPU()},
			"files":           []string{"bin/" + p.Exe(), "README.md"},
			"preferUnplugged": true,
		}
		if err := writeJSON(filepath.Join(dir, "package.json"), manifest); err != nil {
			return nil, err
		}
		readme, err := os.ReadFile(filepath.Join(o.Root, "npm", "platform", "README.md"))
		if err != nil {
			return nil, err
		}
		r := strings.NewReplacer("{{name}}", name, "{{os}}", p.NodeOS(), "{{cpu}}", p.NodeCPU())
		if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte(r.Replace(string(readme))), 0o644); err != nil {
			return nil, err
		}
		if err := npmPack(ctx, o, dir); err != nil {
			return nil, err
		}
		written = append(written, npmPackFile(name, version))
	}

	main := filepath.Join(work, "npm", "bulwark")
	if err := os.CopyFS(main, os.DirFS(filepath.Join(o.Root, "npm", "bulwark"))); err != nil {
		return nil, fmt.Errorf("staging the npm package: %w", err)
	}
	var manifest map[string]any
	raw, err := os.ReadFile(filepath.Join(main, "package.json"))
	if err == nil {
		err = json.Unmarshal(raw, &manifest)
	}
	if err != nil {
		return nil, fmt.Errorf("reading npm/bulwark/package.json: %w", err)
	}
	manifest["version"] = version
	manifest["optionalDependencies"] = optional
	if err := writeJSON(filepath.Join(main, "package.json"), manifest); err != nil {
		return nil, err
	}
	if err := os.Chmod(filepath.Join(main, "bin", "bulwark.js"), 0o755); err != nil {
		return nil, err
	}
	if err := npmPack(ctx, o, main); err != nil {
		return nil, err
	}
	name, _ := manifest["name"].(string)
	return append(written, npmPackFile(name, version)), nil
}

// npmPack runs npm pack in dir, writing the tarball into o.Dist.
func npmPack(ctx context.Context, o *Options, dir string) error {
	dist, err := filepath.Abs(o.Dist)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, o.npm(), "pack", "--pack-destination", dist, "--ignore-scripts", "--loglevel", "warn")
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("npm pack in %s: %w\n%s", dir, err, out.Bytes())
	}
	return nil
}

// writeJSON writes v indented, as npm writes package.json.
func writeJSON(name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(name, append(b, '\n'), 0o644)
}

// copyFile copies src to dst with mode.
func copyFile(src, dst string, mode os.FileMode) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, mode)
}
