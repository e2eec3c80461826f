package inspect

import (
	"net/http"
	"testing"

	"github.com/bulwark-sec/bulwark/routes"
)

// TestHintsReadForLearnedTypes checks that a value judged by its learned
// type has its hints read first (they are read late for others, after the
// free-text judgement): a password is still looked at for operator
// injection in JavaScript, which needs the hints of its patterns.
func TestHintsReadForLearnedTypes(t *testing.T) {
	e := newTestEngine(t)
	json := http.Header{"Content-Type": {"application/json"}}
	req := Request{Method: "POST", URI: "/login", Header: json, Body: []byte(`{"password":"' || '1'=='1"}`),
		Types: map[string]routes.FieldType{"json:$.password": routes.TypePassword}}
	if v := e.Inspect(&req); v.Action != Block || !hasRule(v, ruleNoSQLValue.id) {
		t.Errorf("a password with a JavaScript operator injection: %v, want blocked by %s", v, ruleNoSQLValue.id)
	}
}
