package update

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Applied says what [Apply] did.
type Applied struct {
	Branch  string   `json:"branch"`
	Commit  string   `json:"commit"`
	Files   []string `json:"files"`   // changed and committed, relative to the project
	PRBody  string   `json:"prBody"`  // path of the markdown PR description
	Message string   `json:"message"` // the commit message
	// Pushed names the remote the branch was pushed to ([Options.Push]);
	// empty when it was not.
	Pushed string `json:"pushed,omitempty"`
}

// Apply writes the passing updates of rep into the project at rep.Dir and
// commits them on a new branch bulwark/update-DATE. It first puts them
// together into a fresh copy and runs the tests once more; only if they
// pass is the project written, and then only its manifests and lockfiles
// (go.mod, go.sum, package.json, package-lock.json: node_modules is left
// for the user's next npm install). No dependency's install script runs
// but those allowed by name ([Options.AllowScripts]). The PR description goes to
// .bulwark/update-DATE.md.
func Apply(ctx context.Context, rep *Report, o Options) (*Applied, error) {
	o.defaults()
	keep := rep.Passing()
	if len(keep) == 0 {
		return nil, nil
	}
	dir := rep.Dir
	if _, err := runOut(ctx, dir, o.Env, "git", "rev-parse", "--show-toplevel"); err != nil {
		return nil, &SetupError{fmt.Errorf("%s is not in a git repository: --apply commits the updates on a new branch; run git init or leave out --apply", dir)}
	}
	iso, _, _ := o.isolation(ctx)
	ps := projects(dir, &o, rep.Date, &iso)
	var files []string
	for _, p := range ps {
		if len(ofEcosystem(keep, p.ecosystem())) == 0 {
			continue
		}
		for _, f := range p.files() {
			if _, err := os.Stat(filepath.Join(dir, f)); err == nil || f == "go.sum" || f == "package-lock.json" {
				files = append(files, f)
			}
		}
	}
	dirty, err := runOut(ctx, dir, o.Env, "git", append([]string{"status", "--porcelain", "--"}, existing(dir, files)...)...)
	if err != nil {
		return nil, &SetupError{fmt.Errorf("reading git status: %w", err)}
	}
	if len(strings.TrimSpace(string(dirty))) > 0 {
		return nil, &SetupError{fmt.Errorf("%s: uncommitted changes in %s: commit or stash them, then run again", dir, strings.Join(files, ", "))}
	}

	// Try the passing set together in a copy.
	work, err := os.MkdirTemp(o.WorkDir, "bulwark-apply-")
	if err != nil {
		return nil, &SetupError{fmt.Errorf("creating a work directory: %w", err)}
	}
	defer os.RemoveAll(work)
	cp := filepath.Join(work, "project")
	if err := copyTree(ctx, dir, cp); err != nil {
		return nil, &SetupError{fmt.Errorf("copying the project: %w", err)}
	}
	var tested []string
	for _, p := range ps {
		cs := ofEcosystem(keep, p.ecosystem())
		if len(cs) == 0 {
			continue
		}
		if _, out, _, _, err := prepare(ctx, p, cp, cs, o.Advisories); err != nil {
			return nil, fmt.Errorf("installing the passing %s updates together: %w\n%s", p.ecosystem(), err, tailLines(out, tailSize))
		}
		out, _, err := p.test(ctx, cp)
		if err != nil {
			return nil, fmt.Errorf("the passing %s updates fail their tests together, so nothing was applied: %w\n%s", p.ecosystem(), err, tailLines(out, tailSize))
		}
		tested = append(tested, p.ecosystem())
	}

	branch, err := newBranch(ctx, dir, o.Env, "bulwark/update-"+rep.Date.Format("2006-01-02"))
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		src := filepath.Join(cp, f)
		if _, err := os.Stat(src); err != nil {
			continue
		}
		if err := copyFile(src, filepath.Join(dir, f)+".bulwark-tmp", 0o644); err != nil {
			return nil, fmt.Errorf("writing %s: %w", f, err)
		}
		if err := os.Rename(filepath.Join(dir, f)+".bulwark-tmp", filepath.Join(dir, f)); err != nil {
			return nil, fmt.Errorf("writing %s: %w", f, err)
		}
	}
	files = existing(dir, files)
	a := &Applied{Branch: branch, Files: files, Message: commitMessage(keep, tested)}
	if _, err := runOut(ctx, dir, o.Env, "git", append([]string{"add", "--"}, files...)...); err != nil {
		return nil, fmt.Errorf("git add: %w", err)
	}
	if _, err := runOut(ctx, dir, o.Env, "git", append([]string{"commit", "-q", "-m", a.Message, "--"}, files...)...); err != nil {
		return nil, fmt.Errorf("committing on %s: %w", branch, err)
	}
	head, err := runOut(ctx, dir, o.Env, "git", "rev-parse", "HEAD")
	if err != nil {
		return nil, fmt.Errorf("reading the new commit: %w", err)
	}
	a.Commit = strings.TrimSpace(string(head))
	rep.Applied = a
	state, err := stateDir(dir)
	if err != nil {
		return a, fmt.Errorf("writing the PR description: %w", err)
	}
	a.PRBody = filepath.Join(state, "update-"+rep.Date.Format("2006-01-02")+".md")
	if err := os.WriteFile(a.PRBody, []byte(rep.Markdown()), 0o644); err != nil {
		return a, fmt.Errorf("writing the PR description: %w", err)
	}
	if o.Push != "" {
		if err := push(ctx, dir, o.Env, o.Timeout, o.Push, branch); err != nil {
			return a, err
		}
		a.Pushed = o.Push
	}
	return a, nil
}

// CheckRemote checks, before anything is tried, that the project in dir
// can reach the git remote --push names (a remote's name, a URL or a
// path): a bad name or an unreachable remote is known at once, not after
// the trials.
func CheckRemote(ctx context.Context, dir string, env []string, remote string) error {
	if err := validRemote(remote); err != nil {
		return err
	}
	if env == nil {
		env = os.Environ()
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if _, err := runOut(ctx, dir, gitNoPrompt(env), "git", "ls-remote", "-q", "--heads", remote); err != nil {
		return &SetupError{fmt.Errorf("--push %s: the remote cannot be read from %s (%w): give a remote git remote -v lists, a URL or a path to a repository", remote, dir, err)}
	}
	return nil
}

func validRemote(remote string) error {
	if remote == "" || strings.HasPrefix(remote, "-") || strings.ContainsAny(remote, "\x00\n") {
		return &SetupError{fmt.Errorf("--push %q: not a git remote: give a remote's name (git remote -v), a URL or a path", remote)}
	}
	return nil
}

// push pushes branch to remote under the same name, without prompting for
// credentials (a prompt would hang a run nobody watches).
func push(ctx context.Context, dir string, env []string, limit time.Duration, remote, branch string) error {
	if err := validRemote(remote); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	ref := "refs/heads/" + branch
	if _, err := runOut(ctx, dir, gitNoPrompt(env), "git", "push", "-q", remote, ref+":"+ref); err != nil {
		return fmt.Errorf("pushing %s to %s: %w (the commit stays on the local branch: push it with git push %s %s)", branch, remote, err, remote, branch)
	}
	return nil
}

func gitNoPrompt(env []string) []string {
	return append(env[:len(env):len(env)], "GIT_TERMINAL_PROMPT=0", "GIT_ASKPASS=true", "SSH_ASKPASS=true")
}

// newBranch creates and checks out name, or name-2, name-3… if it exists.
func newBranch(ctx context.Context, dir string, env []string, name string) (string, error) {
	for i := 1; i < 100; i++ {
		b := name
		if i > 1 {
			b = fmt.Sprintf("%s-%d", name, i)
		}
		if _, err := runOut(ctx, dir, env, "git", "rev-parse", "--verify", "--quiet", "refs/heads/"+b); err == nil {
			continue
		}
		if _, err := runOut(ctx, dir, env, "git", "checkout", "-q", "-b", b); err != nil {
			return "", fmt.Errorf("creating branch %s: %w", b, err)
		}
		return b, nil
	}
	return "", fmt.Errorf("creating a branch: %s-2 … %s-99 all exist: delete old ones", name, name)
}

func existing(dir string, files []string) []string {
	var out []string
	for _, f := range files {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			out = append(out, f)
		}
	}
	return out
}

func ofEcosystem(cs []Candidate, eco string) []Candidate {
	var out []Candidate
	for _, c := range cs {
		if c.Ecosystem == eco {
			out = append(out, c)
		}
	}
	return out
}

func commitMessage(cs []Candidate, tested []string) string {
	var b strings.Builder
	if len(cs) == 1 {
		fmt.Fprintf(&b, "deps: update %s to %s\n\n", cs[0].Name, cs[0].To)
	} else {
		fmt.Fprintf(&b, "deps: update %d dependencies\n\n", len(cs))
	}
	for _, c := range cs {
		fmt.Fprintf(&b, "- %s %s → %s (%s)", c.Name, c.From, c.To, c.Kind)
		if len(c.Advisories) > 0 {
			fmt.Fprintf(&b, ", fixes %s", strings.Join(c.Advisories, ", "))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "\nEach update passed the project's tests, and all of them together (%s).\nFound and tried by bulwark update.\n", strings.Join(tested, ", "))
	return b.String()
}
