package blackbook

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// The JSONL form of the black book is one JSON object per line, each with a
// "type": "ban" (every ban, in force or not), "offender", or "allow" (the
// runtime allowlist entries).
const (
	lineBan      = "ban"
	lineOffender = "offender"
	lineAllow    = "allow"
)

// maxLine bounds one line of an import.
const maxLine = 1 << 20

type banLine struct {
	Type string `json:"type"`
	Ban
}

type offenderLine struct {
	Type string `json:"type"`
	Offender
}

type allowLine struct {
	Type string `json:"type"`
	AllowEntry
}

// Export writes the whole black book to w as JSON lines: bans oldest first,
// then offenders, then the runtime allowlist.
func (k *Book) Export(ctx context.Context, w io.Writer) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	bans, err := queryBans(ctx, k.db, `SELECT `+banCols+` FROM blackbook_bans ORDER BY created, rowid`)
	if err != nil {
		return fmt.Errorf("exporting bans: %w", err)
	}
	for _, b := range bans {
		if err := enc.Encode(banLine{Type: lineBan, Ban: b}); err != nil {
			return fmt.Errorf("exporting: %w", err)
		}
	}
	offenders, err := k.Offenders(ctx, OffenderFilter{Limit: maxLimit})
	if err != nil {
		return fmt.Errorf("exporting: %w", err)
	}
	for _, o := range offenders {
		if err := enc.Encode(offenderLine{Type: lineOffender, Offender: o}); err != nil {
			return fmt.Errorf("exporting: %w", err)
		}
	}
	allow, err := k.Allowlist(ctx)
	if err != nil {
		return fmt.Errorf("exporting: %w", err)
	}
	for _, a := range allow {
		if !a.Configured {
			if err := enc.Encode(allowLine{Type: lineAllow, AllowEntry: a}); err != nil {
				return fmt.Errorf("exporting: %w", err)
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("exporting: %w", err)
	}
	return nil
}

// ImportStats counts what an import wrote.
type ImportStats struct {
	Bans      int `json:"bans"`      // new bans (known ids are skipped)
	Offenders int `json:"offenders"` // offenders added or merged
	Allow     int `json:"allow"`     // allowlist entries added or updated
}

// ErrBadImport is wrapped by every error about the content of an import.
var ErrBadImport = errors.New("blackbook: bad import")

// Import reads JSON lines written by Export and merges them into the black
// book. Every line is checked first; a bad one gives an error naming its
// number and nothing is written. Then everything is written in one
// transaction. Bans already known (by id) are skipped; offenders are merged.
func (k *Book) Import(ctx context.Context, r io.Reader) (ImportStats, error) {
	var (
		bans      []Ban
		offenders []Offender
		allow     []AllowEntry
	)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	n := 0
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		if err := parseLine(line, &bans, &offenders, &allow); err != nil {
			return ImportStats{}, fmt.Errorf("%w: line %d: %v", ErrBadImport, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return ImportStats{}, fmt.Errorf("%w: line %d: longer than %d bytes", ErrBadImport, n+1, maxLine)
		}
		return ImportStats{}, fmt.Errorf("importing: %w", err)
	}
	return k.write(ctx, bans, offenders, allow)
}

func parseLine(line []byte, bans *[]Ban, offenders *[]Offender, allow *[]AllowEntry) error {
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(line, &head); err != nil {
		return fmt.Errorf("not a JSON object: %v", jsonMsg(err))
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	switch head.Type {
	case lineBan:
		var l banLine
		if err := dec.Decode(&l); err != nil {
			return jsonMsg(err)
		}
		if err := checkBan(l.Ban); err != nil {
			return err
		}
		*bans = append(*bans, l.Ban)
	case lineOffender:
		var l offenderLine
		if err := dec.Decode(&l); err != nil {
			return jsonMsg(err)
		}
		if err := checkOffender(&l.Offender); err != nil {
			return err
		}
		*offenders = append(*offenders, l.Offender)
	case lineAllow:
		var l allowLine
		if err := dec.Decode(&l); err != nil {
			return jsonMsg(err)
		}
		if !l.Prefix.IsValid() || l.Prefix != l.Prefix.Masked() {
			return errors.New("allow: prefix must be a CIDR without host bits, such as 10.0.0.0/8")
		}
		*allow = append(*allow, l.AllowEntry)
	case "":
		return errors.New(`no "type"; want "ban", "offender" or "allow"`)
	default:
		return fmt.Errorf(`unknown type %q; want "ban", "offender" or "allow"`, clip(head.Type, 40))
	}
	return nil
}

// jsonMsg turns a decoding error into a short message.
func jsonMsg(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("field %q: want a %s", te.Field, te.Type)
	}
	if s, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return fmt.Errorf("unknown field %s", s)
	}
	return errors.New(strings.TrimPrefix(err.Error(), "json: "))
}

func checkBan(b Ban) error {
	switch {
	case b.ID == "" || len(b.ID) > 64 || strings.IndexFunc(b.ID, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r == '_')
	}) >= 0:
		return errors.New(`ban: "id" must be 1 to 64 letters, digits, - or _`)
	case b.Target.IsZero():
		return errors.New(`ban: "target" is missing`)
	case b.Created.IsZero():
		return errors.New(`ban: "created" is missing`)
	case !b.Expires.IsZero() && b.Expires.Before(b.Created):
		return errors.New(`ban: "expires" is before "created"`)
	case !b.Lifted.IsZero() && b.Lifted.Before(b.Created):
		return errors.New(`ban: "lifted" is before "created"`)
	case b.Repeat < 0:
		return errors.New(`ban: "repeat" is negative`)
	case len(b.Reason) > 4*maxReasonBytes:
		return fmt.Errorf(`ban: "reason" is longer than %d bytes`, 4*maxReasonBytes)
	}
	return nil
}

func checkOffender(o *Offender) error {
	switch {
	case !o.IP.IsValid():
		return errors.New(`offender: "ip" is missing`)
	case o.FirstSeen.IsZero() || o.LastSeen.Before(o.FirstSeen):
		return errors.New(`offender: "firstSeen" must be set and not after "lastSeen"`)
	case len(o.Bans) > 0:
		return errors.New(`offender: "bans" is not imported; give each ban its own line`)
	}
	for c, n := range o.Counts {
		if n < 0 || c == "" {
			return fmt.Errorf("offender: count %q must be a class with a count of at least 0", clip(c, 40))
		}
	}
	for _, u := range o.Users {
		if msg := checkUser(u); msg != "" {
			return fmt.Errorf("offender: %s", msg)
		}
	}
	o.IP = o.IP.Unmap().WithZone("")
	if len(o.Evidence) > maxEvidence {
		o.Evidence = o.Evidence[:maxEvidence]
	}
	if len(o.Users) > maxUsers {
		o.Users = o.Users[:maxUsers]
	}
	return nil
}

// write stores checked import content in one transaction.
func (k *Book) write(ctx context.Context, bans []Ban, offenders []Offender, allow []AllowEntry) (ImportStats, error) {
	var st ImportStats
	now := k.now()
	k.writeMu.Lock()
	defer k.writeMu.Unlock()
	tx, err := k.db.BeginTx(ctx, nil)
	if err != nil {
		return st, fmt.Errorf("importing: %w", err)
	}
	defer tx.Rollback()
	seq, err := nextSeq(ctx, tx)
	if err != nil {
		return st, fmt.Errorf("importing: %w", err)
	}
	var enforce []Ban
	for _, b := range bans {
		if _, known, err := banByID(ctx, tx, b.ID); err != nil {
			return st, fmt.Errorf("importing ban %s: %w", b.ID, err)
		} else if known {
			continue
		}
		b.Reason, b.Source = sanitize(b.Reason, maxReasonBytes), sanitize(b.Source, maxLabelBytes)
		if b.Lifted.IsZero() {
			cur, has, err := currentBan(ctx, tx, b.Target)
			if err != nil {
				return st, fmt.Errorf("importing ban %s: %w", b.ID, err)
			}
			switch {
			case has && cur.Created.After(b.Created):
				b.Lifted, b.LiftedBy = cur.Created, "replaced"
			case has:
				if err := liftBan(ctx, tx, cur.ID, now, liftReason(cur, now), seq); err != nil {
					return st, fmt.Errorf("importing ban %s: %w", b.ID, err)
				}
				seq++
			}
		}
		if err := insertBan(ctx, tx, b, seq); err != nil {
			return st, fmt.Errorf("importing ban %s: %w", b.ID, err)
		}
		seq++
		if b.Active(now) {
			enforce = append(enforce, b)
			if k.rdb != nil {
				if err := addOutbox(ctx, tx, opBan, b.ID, now); err != nil {
					return st, fmt.Errorf("importing ban %s: %w", b.ID, err)
				}
			}
		}
		st.Bans++
	}
	for _, o := range offenders {
		if err := mergeOffender(ctx, tx, o); err != nil {
			return st, fmt.Errorf("importing offender %s: %w", o.IP, err)
		}
		st.Offenders++
	}
	for _, a := range allow {
		if _, err := tx.ExecContext(ctx, `INSERT INTO blackbook_allowlist(prefix, reason, created) VALUES (?, ?, ?)
			ON CONFLICT(prefix) DO UPDATE SET reason = excluded.reason`,
			a.Prefix.String(), sanitize(a.Reason, maxReasonBytes), ms(orNow(a.Created, now))); err != nil {
			return st, fmt.Errorf("importing allowlist entry %s: %w", a.Prefix, err)
		}
		st.Allow++
	}
	if err := tx.Commit(); err != nil {
		return st, fmt.Errorf("importing: %w", err)
	}
	for _, b := range enforce {
		k.idx.put(b)
	}
	if err := k.reloadAllowlist(ctx); err != nil {
		return st, fmt.Errorf("importing: %w", err)
	}
	k.kickRedis()
	return st, nil
}

func orNow(t, now time.Time) time.Time {
	if t.IsZero() {
		return now
	}
	return t
}

// mergeOffender adds o to the store: seen times widen, counts take the
// larger value (so importing twice changes nothing), users and evidence are
// added unless present.
func mergeOffender(ctx context.Context, tx querier, o Offender) error {
	ip := o.IP.String()
	if _, err := tx.ExecContext(ctx, `INSERT INTO blackbook_offenders(ip, first_seen, last_seen) VALUES (?, ?, ?)
		ON CONFLICT(ip) DO UPDATE SET first_seen = min(first_seen, excluded.first_seen),
		last_seen = max(last_seen, excluded.last_seen)`, ip, ms(o.FirstSeen), ms(o.LastSeen)); err != nil {
		return err
	}
	for c, n := range o.Counts {
		if _, err := tx.ExecContext(ctx, `INSERT INTO blackbook_offender_counts(ip, class, n) VALUES (?, ?, ?)
			ON CONFLICT(ip, class) DO UPDATE SET n = max(n, excluded.n)`, ip, sanitize(c, maxLabelBytes), n); err != nil {
			return err
		}
	}
	for _, u := range o.Users {
		if _, err := tx.ExecContext(ctx, `INSERT INTO blackbook_offender_users(ip, user, last_seen) VALUES (?, ?, ?)
			ON CONFLICT(ip, user) DO NOTHING`, ip, u, ms(o.LastSeen)); err != nil {
			return err
		}
	}
	for _, e := range o.Evidence {
		sample := sanitize(e.Sample, maxSampleBytes)
		if _, err := tx.ExecContext(ctx, `INSERT INTO blackbook_evidence(ip, time, class, rule_id, sample)
			SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM blackbook_evidence WHERE ip = ? AND time = ? AND sample = ?)`,
			ip, ms(e.Time), sanitize(e.Class, maxLabelBytes), sanitize(e.RuleID, maxLabelBytes), sample, ip, ms(e.Time), sample); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM blackbook_evidence WHERE ip = ? AND id NOT IN
		(SELECT id FROM blackbook_evidence WHERE ip = ? ORDER BY time DESC, id DESC LIMIT ?)`, ip, ip, maxEvidence)
	return err
}
