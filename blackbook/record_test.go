package blackbook

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestRecordOffenders(t *testing.T) {
	ctx := context.Background()
	k, clk := openBook(t, Config{}, Options{})
	for i := 0; i < 8; i++ {
		clk.Add(time.Second)
		k.Record(ctx, Offence{IP: ip("::ffff:203.0.113.9"), User: "alice", Class: "sqli", RuleID: "942100",
			Evidence: "id=1' OR '1'='1\x1b[31m\n#" + strings.Repeat("x", 1000)})
	}
	k.Record(ctx, Offence{IP: ip("203.0.113.9"), Class: "xss"})
	k.Close() // flushes
	o, err := k.Offender(ctx, ip("203.0.113.9"))
	if err != nil {
		t.Fatal(err)
	}
	if o.Counts["sqli"] != 8 || o.Counts["xss"] != 1 || len(o.Users) != 1 || o.Users[0] != "alice" {
		t.Errorf("offender = %+v", o)
	}
	if len(o.Evidence) != maxEvidence {
		t.Errorf("%d evidence samples kept, want %d", len(o.Evidence), maxEvidence)
	}
	for _, e := range o.Evidence {
		if len(e.Sample) > maxSampleBytes+len("…") || strings.ContainsAny(e.Sample, "\x1b\n") {
			t.Errorf("sample not bounded or cleaned: %q", e.Sample)
		}
	}
	if o.LastSeen.Sub(o.FirstSeen) != 7*time.Second {
		t.Errorf("first %s, last %s", o.FirstSeen, o.LastSeen)
	}
	if _, err := k.Offender(ctx, ip("192.0.2.1")); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown offender: %v", err)
	}
	if os, err := k.Offenders(ctx, OffenderFilter{}); err != nil || len(os) != 1 {
		t.Errorf("Offenders = %d, %v", len(os), err)
	}
}
