package alert

import (
	"context"
	"io"
	"log/slog"
	"mime/quotedprintable"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/config"
	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// An attack burst of 5,000 events from one IP, through the real notifiers
// to real peers, gives exactly one email and one SMS request; no secret
// reaches a message, a log line, an event or the store.
func TestBurstOneEmailOneSMS(t *testing.T) {
	cert := testutil.SelfSignedTLS(t)
	srvTLS, cliTLS := cert.Server, cert.Client
	smtpSrv := testutil.StartSMTP(t, srvTLS, false, "bulwark", smtpPassword)
	tw, twSrv := startTwilio(t)
	hookSecret := "hook-key-burst-31"
	db, path := tempDB(t)
	var logs testutil.SyncBuffer
	var mu sync.Mutex
	var published []event.Event

	cfg := Config{
		Notify: []string{"ops-mail", "oncall"},
		Route:  Route{GroupWait: 200 * time.Millisecond},
		Notifiers: map[string]NotifierConfig{
			"ops-mail": emailConfig(smtpSrv.Port, TLSStartTLS),
			"oncall":   smsConfig(twSrv.URL),
			"hook":     {Type: TypeWebhook, URL: config.Secret("http://127.0.0.1:1/never"), Secret: config.Secret(hookSecret)},
		},
	}
	a, err := New(context.Background(), cfg, Options{DB: db, TLSConfig: cliTLS,
		Logger:  slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Publish: func(e event.Event) { mu.Lock(); published = append(published, e); mu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	for range 5000 {
		a.Handle(attack("203.0.113.66"))
	}
	wait(t, smtpSrv.Delivered, "the email")
	wait(t, tw.got, "the SMS request")
	// No sleep to leave room for a wrong second notification: Flush makes
	// every group due now, as if its group interval had passed, and returns
	// once the outbox is delivered, so a second one would be counted below.
	ctx, cancel := context.WithTimeout(context.Background(), testutil.EventuallyLimit)
	defer cancel()
	if err := a.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(ctx); err != nil {
		t.Fatal(err)
	}
	db.Close()

	mails, sms := smtpSrv.All(), tw.all()
	if len(mails) != 1 || len(sms) != 1 {
		t.Fatalf("%d emails and %d SMS requests, want 1 and 1", len(mails), len(sms))
	}
	checkBurstMail(t, mails[0].Data)
	if body := sms[0].Get("Body"); !strings.Contains(body, "203.0.113.66") {
		t.Errorf("SMS body %q", body)
	}

	dbBytes, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if wal, err := os.ReadFile(path + "-wal"); err == nil {
		dbBytes = append(dbBytes, wal...)
	}
	mu.Lock()
	var evs strings.Builder
	for _, e := range published {
		b, _ := e.MarshalJSON()
		evs.Write(b)
	}
	mu.Unlock()
	if evs.Len() == 0 {
		t.Error("no alert event published")
	}
	for _, secret := range []string{smtpPassword, twilioToken, hookSecret} {
		for where, text := range map[string]string{"the store": string(dbBytes), "the logs": logs.String(),
			"the events": evs.String(), "the email": mails[0].Data, "the SMS": sms[0].Encode()} {
			if strings.Contains(text, secret) {
				t.Errorf("%s holds the secret %q", where, secret)
			}
		}
	}
	if !strings.Contains(logs.String(), "notification sent") {
		t.Errorf("logs do not tell the delivery:\n%s", logs.String())
	}
}

func checkBurstMail(t *testing.T, data string) {
	t.Helper()
	decoded, _ := io.ReadAll(quotedprintable.NewReader(strings.NewReader(data)))
	data = string(decoded)
	for _, want := range []string{"Attack burst from 203.0.113.66", "events=4996"} {
		if !strings.Contains(data, want) {
			t.Errorf("email lacks %q:\n%s", want, data)
		}
	}
}
