package alert

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"text/template"
)

// A Slack notifier posts to a Slack incoming webhook (or a compatible
// receiver: Mattermost, Rocket.Chat, Discord's /slack endpoint). It is
// safe for concurrent use.
type Slack struct {
	name   string
	url    string
	text   *template.Template
	client *http.Client
}

var _ Notifier = (*Slack)(nil)

// NewSlack returns the Slack notifier called name; c must be valid.
func NewSlack(name string, c NotifierConfig, o NotifierOptions) (*Slack, error) {
	if c.Type != TypeSlack {
		return nil, fmt.Errorf("notifier %s: type %s is not slack", name, c.Type)
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("notifier %s: %w", name, err)
	}
	text, err := textTemplate("slack.tmpl", c.Templates.Text)
	if err != nil {
		return nil, fmt.Errorf("notifier %s: %w", name, err)
	}
	return &Slack{name: name, url: c.URL.Reveal(), text: text, client: newHTTPClient(c.Timeout, o.TLSConfig)}, nil
}

// Name returns the notifier's name.
func (s *Slack) Name() string { return s.name }

type slackMessage struct {
	Text   string       `json:"text"`
	Blocks []slackBlock `json:"blocks,omitempty"`
}

type slackBlock struct {
	Type string    `json:"type"`
	Text slackText `json:"text"`
}

type slackText struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// Notify posts {"text": …, "blocks": [one mrkdwn section]}; text is the
// fallback shown in notifications.
func (s *Slack) Notify(ctx context.Context, n Notification) error {
	text, err := render(s.text, n)
	if err != nil {
		return Permanent(fmt.Errorf("rendering Slack message: %w", err))
	}
	text = strings.TrimSpace(text)
	if len(text) > 2900 { // a section's text is limited to 3000 characters
		text = text[:2900] + "…"
	}
	body, err := json.Marshal(slackMessage{Text: n.Title(),
		Blocks: []slackBlock{{Type: "section", Text: slackText{Type: "mrkdwn", Text: text}}}})
	if err != nil {
		return Permanent(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		return Permanent(fmt.Errorf("building Slack request: %w", redactURL(err)))
	}
	req.Header.Set("Content-Type", "application/json")
	return post(ctx, s.client, req, "the Slack webhook")
}

func (s *Slack) close() { s.client.CloseIdleConnections() }
