package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/spf13/cobra"

	"github.com/bulwark-sec/bulwark/inspect"
	"github.com/bulwark-sec/bulwark/inspect/replay"
)

func newInspect() *cobra.Command {
	var configPath, format, learn string
	var summary bool
	cmd := &cobra.Command{
		Use:   "inspect [FILE]",
		Short: "Run the attack detection engine over requests offline and print verdicts",
		Long: `Run the detection engine that guard uses over recorded requests, to try rules
on real traffic before deploying them. Reads FILE, or standard input.

Formats:
  jsonl       one request per line: {"id":"…","method":"GET","path":"/p?q=1",
              "headers":{"User-Agent":"…"},"body":"…"}; other fields are ignored
  access-log  combined log format (method, path and query, referer, user agent)
  http        raw HTTP/1.x requests as sent on the wire (saved from an
              intercepting proxy): request line, headers, blank line, a body
              of Content-Length bytes; one after another

Prints one JSON line per request:
  {"id":"…","attack":true,"action":"block","score":N,"rules":[{"id":"…","class":"sqli","where":"query:id"}]}
--summary prints counts per class instead. The inspect: section of --config
sets rules, modes and exclusions as in guard. Exit 0 whatever is found; 2 when
the input cannot be read, naming the line. Access-log lines of connections
that sent no HTTP request (nginx's "" or a TLS handshake on the plain port)
are not judged; --summary counts them as "no request".`,
		Example: `  bulwark inspect --format access-log /var/log/nginx/access.log --summary
  bulwark inspect requests.jsonl`,
		Args: maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(configPath)
			if err != nil {
				return err
			}
			engine, err := inspect.New(cfg.Inspect)
			if err != nil {
				return usageError{fmt.Errorf("inspect: %w", err)}
			}
			read := replay.Format(format)
			if read != replay.JSONL && read != replay.AccessLog && read != replay.HTTP {
				return usagef("--format must be jsonl, access-log or http, got %q", format)
			}
			in, name := cmd.InOrStdin(), "stdin"
			if len(args) == 1 {
				f, err := os.Open(args[0])
				if err != nil {
					return usageError{err}
				}
				defer f.Close()
				in, name = f, args[0]
			}
			run := inspectRun{engine: engine, summary: summary}
			if learn != "" {
				inv, err := learnFrom(engine, learn, read)
				if err != nil {
					return err
				}
				run.prepare = typesFrom(inv)
				run.excl = &exclusions{inv: inv, need: map[exclusionKey]int{}}
			}
			return run.run(in, name, read, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVarP(&configPath, "config", "c", os.Getenv("BULWARK_CONFIG"), "configuration file whose inspect: section is used")
	f.StringVar(&format, "format", "jsonl", "input format: jsonl, access-log or http")
	f.BoolVar(&summary, "summary", false, "print counts per class instead of one line per request")
	f.StringVar(&learn, "learn", "", "learn the routes' field types from this recorded traffic first (as guard does), judge with them, and print the exclusions still needed")
	return cmd
}

// eachRecord calls fn for each record of in, recorded in format f, and
// stops at the first line that cannot be read.
func eachRecord(in io.Reader, f replay.Format, fn func(replay.Record) error) error {
	r, err := replay.NewReader(in, f)
	if err != nil {
		return err
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err == nil {
			err = fn(rec)
		}
		if err != nil {
			return err
		}
	}
}

type verdictLine struct {
	ID     string     `json:"id"`
	Attack bool       `json:"attack"`
	Action string     `json:"action"`
	Score  int        `json:"score"`
	Rules  []ruleLine `json:"rules"`
}

type ruleLine struct {
	ID    string `json:"id"`
	Class string `json:"class"`
	Where string `json:"where"`
}

// An inspectRun judges the requests of an input.
type inspectRun struct {
	engine  *inspect.Engine
	summary bool
	// prepare, if set, completes each request (the learned field types).
	prepare func(*inspect.Request)
	// excl, if set, collects the exclusions blocked requests needed, and
	// is printed at the end.
	excl *exclusions
}

func (ir inspectRun) run(in io.Reader, name string, read replay.Format, stdout io.Writer) error {
	engine, summary := ir.engine, ir.summary
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	var total, attacks, noRequest int
	byClass := map[string]int{}
	err := eachRecord(in, read, func(rec replay.Record) error {
		if rec.NoRequest {
			noRequest++
			return nil
		}
		if ir.prepare != nil {
			ir.prepare(&rec.Request)
		}
		v := engine.Inspect(&rec.Request)
		if ir.excl != nil {
			ir.excl.add(&rec.Request, v)
		}
		total++
		line := verdictLine{ID: rec.ID, Action: v.Action.String(), Score: v.Score, Attack: v.Action == inspect.Block, Rules: []ruleLine{}}
		if line.Attack {
			attacks++
		}
		seen := map[string]bool{}
		for _, f := range v.Findings {
			line.Rules = append(line.Rules, ruleLine{f.RuleID, string(f.Class), f.Where})
			if line.Attack && !seen[string(f.Class)] {
				seen[string(f.Class)] = true
				byClass[string(f.Class)]++
			}
		}
		if summary {
			return nil
		}
		return enc.Encode(line)
	})
	if err != nil {
		return usageError{fmt.Errorf("%s:%w", name, err)} // name:line:column: what is wrong
	}
	if summary {
		fmt.Fprintf(out, "requests\t%d\nattacks\t%d\n", total, attacks)
		if noRequest > 0 {
			fmt.Fprintf(out, "no request\t%d\n", noRequest) // lines of connections that sent none
		}
		classes := make([]string, 0, len(byClass))
		for c := range byClass {
			classes = append(classes, c)
		}
		sort.Strings(classes)
		for _, c := range classes {
			fmt.Fprintf(out, "%s\t%d\n", c, byClass[c])
		}
		if ir.excl != nil {
			ir.excl.print(out)
		}
	}
	return nil
}
