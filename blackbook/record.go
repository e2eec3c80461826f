package blackbook

import (
	"context"
	"log/slog"
	"time"
)

// flushBatch bounds the offences written in one transaction.
const flushBatch = 512

// Record notes an offence against its offender. It never blocks: the
// offence is buffered and written within the flush interval by the Book's
// own goroutine; when the buffer is full it is dropped and counted (see
// Dropped). Offences still buffered are written by Close.
func (k *Book) Record(ctx context.Context, o Offence) {
	if !o.IP.IsValid() || k.closed.Load() {
		return
	}
	if o.Time.IsZero() {
		o.Time = k.now()
	}
	select {
	case k.offences <- o:
	default:
		k.dropped.Add(1)
	}
}

func (k *Book) runFlusher(ctx context.Context) {
	t := time.NewTicker(k.cfg.FlushInterval)
	defer t.Stop()
	batch := make([]Offence, 0, flushBatch)
	flush := func(ctx context.Context) {
		if len(batch) == 0 {
			return
		}
		if err := k.writeOffences(ctx, batch); err != nil {
			k.log.LogAttrs(ctx, slog.LevelError, "black book: cannot write offences; they are lost",
				slog.Int("offences", len(batch)), slog.String("error", err.Error()))
		}
		batch = batch[:0]
	}
	for {
		select {
		case o := <-k.offences:
			batch = append(batch, o)
			if len(batch) == flushBatch {
				flush(ctx)
			}
		case <-t.C:
			flush(ctx)
		case <-ctx.Done():
			// Write what is buffered with a fresh, bounded context.
			fctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			for {
				select {
				case o := <-k.offences:
					batch = append(batch, o)
					if len(batch) == flushBatch {
						flush(fctx)
					}
				default:
					flush(fctx)
					return
				}
			}
		}
	}
}

// writeOffences adds a batch of offences to their offenders in one
// transaction, keeping the newest evidence samples only.
func (k *Book) writeOffences(ctx context.Context, batch []Offence) error {
	tx, err := k.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	touched := make(map[string]bool)
	for _, o := range batch {
		ip, at := o.IP.Unmap().WithZone("").String(), ms(o.Time)
		class := sanitize(o.Class, maxLabelBytes)
		if class == "" {
			class = "unknown"
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO blackbook_offenders(ip, first_seen, last_seen) VALUES (?, ?, ?)
			ON CONFLICT(ip) DO UPDATE SET first_seen = min(first_seen, excluded.first_seen),
			last_seen = max(last_seen, excluded.last_seen)`, ip, at, at); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO blackbook_offender_counts(ip, class, n) VALUES (?, ?, 1)
			ON CONFLICT(ip, class) DO UPDATE SET n = n + 1`, ip, class); err != nil {
			return err
		}
		if user := sanitize(o.User, maxUserLen); user != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO blackbook_offender_users(ip, user, last_seen) VALUES (?, ?, ?)
				ON CONFLICT(ip, user) DO UPDATE SET last_seen = max(last_seen, excluded.last_seen)`, ip, user, at); err != nil {
				return err
			}
		}
		if sample := sanitize(o.Evidence, maxSampleBytes); sample != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO blackbook_evidence(ip, time, class, rule_id, sample) VALUES (?, ?, ?, ?, ?)`,
				ip, at, class, sanitize(o.RuleID, maxLabelBytes), sample); err != nil {
				return err
			}
		}
		touched[ip] = true
	}
	for ip := range touched {
		if _, err := tx.ExecContext(ctx, `DELETE FROM blackbook_evidence WHERE ip = ? AND id NOT IN
			(SELECT id FROM blackbook_evidence WHERE ip = ? ORDER BY time DESC, id DESC LIMIT ?)`, ip, ip, maxEvidence); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM blackbook_offender_users WHERE ip = ? AND user NOT IN
			(SELECT user FROM blackbook_offender_users WHERE ip = ? ORDER BY last_seen DESC LIMIT ?)`, ip, ip, maxUsers); err != nil {
			return err
		}
	}
	return tx.Commit()
}
