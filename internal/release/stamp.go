package release

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// A Stamp is what the build writes into the binary: the version, the commit
// and the commit's time. The time is also every archive entry's
// modification time, so the archives depend on the commit, never on when
// they were built.
type Stamp struct {
	Version string    // "v1.2.3", "v1.2.3-4-gabcdef0", or a Go pseudo-version; "-dirty" when the tree has changes
	Commit  string    // the full commit hash, "-dirty" appended like Version
	Date    time.Time // the commit's time, or $SOURCE_DATE_EPOCH
}

// semverRE is the semantic version npm requires, with an optional "v".
var semverRE = regexp.MustCompile(`^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$`)

// NPMVersion is the version without its "v": npm's form.
func (s Stamp) NPMVersion() string { return strings.TrimPrefix(s.Version, "v") }

// Validate checks that the version is one npm and go install accept.
func (s Stamp) Validate() error {
	if !semverRE.MatchString(s.Version) || !strings.HasPrefix(s.Version, "v") {
		return fmt.Errorf("version %q: want a semantic version with a v, such as v1.2.3 or v1.2.3-rc.1", s.Version)
	}
	return nil
}

// StampFromGit reads the stamp of the checkout at dir: the newest v* tag
// that git describe finds (v1.2.3, or v1.2.3-N-gHASH after it), else a Go
// pseudo-version of the commit (v0.0.0-20261207182948-378fd0277010), with
// "-dirty" when tracked files differ from the commit. $SOURCE_DATE_EPOCH,
// when set, replaces the commit's time.
func StampFromGit(ctx context.Context, dir string) (Stamp, error) {
	git := func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, "git", args...)
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil {
			if ee, ok := err.(*exec.ExitError); ok {
				return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(string(ee.Stderr)))
			}
			return "", fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
		}
		return strings.TrimSpace(string(out)), nil
	}
	var s Stamp
	line, err := git("log", "-1", "--format=%H %ct")
	if err != nil {
		return s, fmt.Errorf("reading the commit to stamp (is %s a git checkout?): %w", dir, err)
	}
	hash, secs, _ := strings.Cut(line, " ")
	unix, err := strconv.ParseInt(secs, 10, 64)
	if err != nil {
		return s, fmt.Errorf("reading the commit's time %q: %w", secs, err)
	}
	s.Commit, s.Date = hash, time.Unix(unix, 0).UTC()
	if v := os.Getenv("SOURCE_DATE_EPOCH"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return s, fmt.Errorf("SOURCE_DATE_EPOCH=%q: want seconds since 1970", v)
		}
		s.Date = time.Unix(n, 0).UTC()
	}
	dirty := exec.CommandContext(ctx, "git", "diff", "--quiet", "HEAD", "--")
	dirty.Dir = dir
	isDirty := dirty.Run() != nil
	if tag, err := git("describe", "--tags", "--match", "v[0-9]*", "HEAD"); err == nil && semverRE.MatchString(tag) {
		s.Version = tag
	} else {
		s.Version = "v0.0.0-" + s.Date.Format("20060102150405") + "-" + hash[:12]
	}
	if isDirty {
		s.Version += "-dirty"
		s.Commit += "-dirty"
	}
	return s, nil
}

// ldflags are the linker flags that stamp s into the CLI (cmd/bulwark/internal/cli), and strip
// the symbol table and DWARF (stack traces keep their function names).
func (s Stamp) ldflags() string {
	const pkg = "github.com/bulwark-sec/bulwark/cmd/bulwark/internal/cli"
	return fmt.Sprintf("-s -w -X %s.version=%s -X %s.commit=%s -X %s.date=%s",
		pkg, s.Version, pkg, s.Commit, pkg, s.Date.Format(time.RFC3339))
}
