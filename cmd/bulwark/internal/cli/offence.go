package cli

import (
	"context"

	"github.com/bulwark-sec/bulwark/blackbook"
	"github.com/bulwark-sec/bulwark/event"
)

// recordOffence records an attack (category malicious, from a known
// address) against its offender in the black book; other events are
// ignored. The console gives it the attacks other gateways of the fleet
// saw, so this gateway's offenders' dossiers cover the fleet.
func (st *state) recordOffence(e event.Event) {
	if e.Category != event.CategoryMalicious || !e.SourceIP.IsValid() {
		return
	}
	st.book.Record(context.Background(), blackbook.Offence{
		IP: e.SourceIP, User: e.UserName, Class: e.Labels["class"], RuleID: e.RuleID,
		Evidence: e.Method + " " + e.Path + ": " + e.Message, Time: e.Time,
	})
}
