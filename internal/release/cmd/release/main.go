// Command release builds bulwark's release into dist/ (make release runs
// it): reproducible cross-builds, archives, CycloneDX SBOMs, npm packages
// and SHA256SUMS. See package internal/release.
//
//	go run ./internal/release/cmd/release [-dist dist] [-version v1.2.3] [-platforms linux/amd64,darwin/arm64]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/bulwark-sec/bulwark/internal/release"
)

func main() {
	dist := flag.String("dist", "dist", "the release folder; must be empty or absent")
	version := flag.String("version", "", "the version to stamp, such as v1.2.3 (default: from git describe, else a pseudo-version of the commit)")
	platforms := flag.String("platforms", "", "comma-separated OS/ARCH list (default: all of "+platformList()+")")
	noSBOM := flag.Bool("no-sbom", false, "skip the CycloneDX SBOMs")
	noNPM := flag.Bool("no-npm", false, "skip the npm packages")
	flag.Parse()

	o := release.Options{Dist: *dist, NoSBOM: *noSBOM, NoNPM: *noNPM, Log: os.Stderr}
	ctx := context.Background()
	if *version != "" {
		s, err := release.StampFromGit(ctx, ".")
		if err != nil {
			fail(err)
		}
		s.Version = *version
		o.Stamp = s
	}
	if *platforms != "" {
		for _, s := range strings.Split(*platforms, ",") {
			p, err := release.ParsePlatform(strings.TrimSpace(s))
			if err != nil {
				fail(fmt.Errorf("-platforms: %w", err))
			}
			o.Platforms = append(o.Platforms, p)
		}
	}
	files, err := release.Build(ctx, o)
	if err != nil {
		fail(err)
	}
	fmt.Fprintf(os.Stderr, "%d files and %s in %s\n", len(files), release.SumsFile, *dist)
}

func platformList() string {
	var s []string
	for _, p := range release.Platforms {
		s = append(s, p.String())
	}
	return strings.Join(s, ", ")
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "release: %v\n", err)
	os.Exit(1)
}
