package alert

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestAlerterTest(t *testing.T) {
	db, _ := tempDB(t)
	defer db.Close()
	rec := newRecorder("rec")
	a := newAlerter(t, recConfig(), db, rec)
	defer a.Close(context.Background())
	if err := a.Test(context.Background(), "rec"); err != nil {
		t.Fatal(err)
	}
	if got := rec.all(); len(got) != 1 || !got[0].Test || !strings.HasPrefix(got[0].Title(), "[TEST]") {
		t.Errorf("test notification = %+v", got)
	}
	if err := a.Test(context.Background(), "pager"); err == nil || !strings.Contains(err.Error(), "known: rec") {
		t.Errorf("Test(pager) = %v, want the known names", err)
	}
	rec.fail = func(int) error { return errors.New("refused") }
	if err := a.Test(context.Background(), "rec"); err == nil || !strings.Contains(err.Error(), "notifier rec: refused") {
		t.Errorf("Test on a failing notifier = %v", err)
	}
}

func TestNewNeedsDB(t *testing.T) {
	if _, err := New(context.Background(), Config{}, Options{}); !errors.Is(err, ErrNoDB) {
		t.Errorf("New without DB = %v, want ErrNoDB", err)
	}
}

func BenchmarkHandleBurst(b *testing.B) {
	db, _ := tempDB(b)
	defer db.Close()
	a, err := New(context.Background(), recConfig(), Options{DB: db, Notifiers: map[string]Notifier{"rec": newRecorder("rec")}})
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close(context.Background())
	e := attack("192.0.2.1")
	b.ReportAllocs()
	for b.Loop() {
		a.Handle(e)
	}
}

func TestSendTest(t *testing.T) {
	tw, srv := startTwilio(t)
	cfg := Config{Notifiers: map[string]NotifierConfig{"oncall": smsConfig(srv.URL)}}
	if err := SendTest(context.Background(), cfg, "oncall", NotifierOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := tw.all(); len(got) != 1 || got[0].Get("Body") != "Bulwark test message" {
		t.Errorf("SMS requests %v", got)
	}
	if err := SendTest(context.Background(), cfg, "mail", NotifierOptions{}); err == nil || !strings.Contains(err.Error(), "known: oncall") {
		t.Errorf("SendTest(mail) = %v", err)
	}
}
