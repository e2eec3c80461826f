package blackbook

import (
	"strings"
	"testing"
	"time"
)

func TestEscalate(t *testing.T) {
	e := Config{}.WithDefaults().Escalation
	perm := e
	perm.PermanentAfter = 3
	tests := []struct {
		esc      Escalation
		base     time.Duration
		repeat   int
		want     time.Duration
		wantPerm bool
	}{
		{e, time.Hour, 0, time.Hour, false},
		{e, time.Hour, 1, 2 * time.Hour, false},
		{e, time.Hour, 3, 8 * time.Hour, false},
		{e, time.Hour, 10, 7 * 24 * time.Hour, false},
		{e, time.Hour, 1000, 7 * 24 * time.Hour, false},
		{e, 30 * 24 * time.Hour, 2, 30 * 24 * time.Hour, false}, // a base over the cap is kept
		{perm, time.Hour, 1, 2 * time.Hour, false},
		{perm, time.Hour, 2, 0, true},
		{Escalation{Factor: 1, Max: time.Hour}, time.Minute, 5, time.Minute, false},
	}
	for _, tt := range tests {
		d, p := tt.esc.escalate(tt.base, tt.repeat)
		if d != tt.want || p != tt.wantPerm {
			t.Errorf("escalate(%s, %d) with %+v = %s, %v; want %s, %v", tt.base, tt.repeat, tt.esc, d, p, tt.want, tt.wantPerm)
		}
	}
}

func TestValidate(t *testing.T) {
	if err := (Config{}).Validate(); err != nil {
		t.Errorf("zero Config: %v", err)
	}
	bad := Config{DefaultDuration: -time.Second, Escalation: Escalation{Factor: 0.5, PermanentAfter: -1},
		Allowlist: []string{"10.0.0.0/8", "nope"}}
	err := bad.Validate()
	for _, want := range []string{"defaultDuration", "escalation.factor", "escalation.permanentAfter", "allowlist[1]"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v, want an error at %s", err, want)
		}
	}
}
