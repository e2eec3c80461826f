package guard

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"net/netip"

	"github.com/bulwark-sec/bulwark/inspect"
	"github.com/bulwark-sec/bulwark/routes"
)

// requestInfo is what the gateway decided about a request before any stage
// ran.
type requestInfo struct {
	id       string
	clientIP netip.Addr
	https    bool
	target   target // the request-target, parsed once for the proxy
	reported bool   // an event about this request was published
	upstream bool   // the app answered (the gateway did not refuse it)
	attack   bool   // inspection found an attack, blocked or not
	tap      *bodyTap
	// types are the learned types of the fields of the request's route;
	// fields what inspection showed of its parameters.
	types  map[string]routes.FieldType
	fields []routes.Field
	// suspect: inspection found anything at all, even a score-0 finding.
	suspect bool
}

type infoKey struct{}

func withInfo(ctx context.Context, ri *requestInfo) context.Context {
	return context.WithValue(ctx, infoKey{}, ri)
}

func infoFrom(ctx context.Context) *requestInfo {
	ri, _ := ctx.Value(infoKey{}).(*requestInfo)
	if ri == nil {
		return &requestInfo{}
	}
	return ri
}

// RequestHeader is the header carrying the request id, to the upstream and
// back to the client: the one inspect's block page names.
const RequestHeader = inspect.RequestIDHeader

var idEncoding = base32.HexEncoding.WithPadding(base32.NoPadding)

func newRequestID() string {
	var b [10]byte
	rand.Read(b[:])
	return idEncoding.EncodeToString(b[:])
}

// validRequestID accepts ids a trusted proxy may pass on: short, plain.
func validRequestID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range []byte(s) {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.':
		default:
			return false
		}
	}
	return true
}
