package event

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"time"
)

// The nested ECS form of an Event, for encoding/json.
type (
	ecsEvent struct {
		Timestamp time.Time         `json:"@timestamp"`
		Event     ecsMeta           `json:"event"`
		Message   string            `json:"message,omitempty"`
		Source    *ecsSource        `json:"source,omitempty"`
		User      *ecsUser          `json:"user,omitempty"`
		HTTP      *ecsHTTP          `json:"http,omitempty"`
		URL       *ecsURL           `json:"url,omitempty"`
		UserAgent *ecsUserAgent     `json:"user_agent,omitempty"`
		Rule      *ecsRule          `json:"rule,omitempty"`
		Threat    *ecsThreat        `json:"threat,omitempty"`
		Observer  *ecsObserver      `json:"observer,omitempty"`
		Labels    map[string]string `json:"labels,omitempty"`
	}
	ecsMeta struct {
		ID       string   `json:"id"`
		Kind     Kind     `json:"kind"`
		Category Category `json:"category,omitempty"`
		Type     string   `json:"type,omitempty"`
		Action   string   `json:"action,omitempty"`
		Outcome  Outcome  `json:"outcome,omitempty"`
		Severity Severity `json:"severity"`
	}
	ecsSource struct {
		IP string `json:"ip"`
	}
	ecsUser struct {
		Name string `json:"name"`
	}
	ecsUserAgent struct {
		Original string `json:"original"`
	}
	ecsURL struct {
		Path string `json:"path"`
	}
	ecsHTTP struct {
		Request  *ecsRequest  `json:"request,omitempty"`
		Response *ecsResponse `json:"response,omitempty"`
	}
	ecsRequest struct {
		ID     string `json:"id,omitempty"`
		Method string `json:"method,omitempty"`
	}
	ecsResponse struct {
		StatusCode int `json:"status_code"`
	}
	ecsRule struct {
		ID   string `json:"id,omitempty"`
		Name string `json:"name,omitempty"`
	}
	ecsThreat struct {
		Technique ecsTechnique `json:"technique"`
	}
	ecsTechnique struct {
		ID string `json:"id"`
	}
	ecsObserver struct {
		Name string `json:"name"`
	}
)

// MarshalJSON writes the event as one nested ECS JSON object.
func (e Event) MarshalJSON() ([]byte, error) {
	out := ecsEvent{
		Timestamp: e.Time.UTC(),
		Event:     ecsMeta{e.ID, e.Kind, e.Category, e.Type, e.Action, e.Outcome, e.Severity},
		Message:   e.Message,
		Labels:    e.Labels,
	}
	if e.SourceIP.IsValid() {
		out.Source = &ecsSource{e.SourceIP.Unmap().String()}
	}
	if e.UserName != "" {
		out.User = &ecsUser{e.UserName}
	}
	if e.RequestID != "" || e.Method != "" || e.Status != 0 {
		out.HTTP = &ecsHTTP{}
		if e.RequestID != "" || e.Method != "" {
			out.HTTP.Request = &ecsRequest{e.RequestID, e.Method}
		}
		if e.Status != 0 {
			out.HTTP.Response = &ecsResponse{e.Status}
		}
	}
	if e.Path != "" {
		out.URL = &ecsURL{e.Path}
	}
	if e.UserAgent != "" {
		out.UserAgent = &ecsUserAgent{e.UserAgent}
	}
	if e.RuleID != "" || e.RuleName != "" {
		out.Rule = &ecsRule{e.RuleID, e.RuleName}
	}
	if e.TechniqueID != "" {
		out.Threat = &ecsThreat{ecsTechnique{e.TechniqueID}}
	}
	if e.Observer != "" {
		out.Observer = &ecsObserver{e.Observer}
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads the nested ECS form written by MarshalJSON.
func (e *Event) UnmarshalJSON(b []byte) error {
	var in ecsEvent
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	*e = Event{
		Time: in.Timestamp, ID: in.Event.ID, Kind: in.Event.Kind, Category: in.Event.Category,
		Type: in.Event.Type, Action: in.Event.Action, Outcome: in.Event.Outcome,
		Severity: in.Event.Severity, Message: in.Message, Labels: in.Labels,
	}
	if in.Source != nil {
		ip, err := netip.ParseAddr(in.Source.IP)
		if err != nil {
			return fmt.Errorf("event: source.ip: %w", err)
		}
		e.SourceIP = ip
	}
	if in.User != nil {
		e.UserName = in.User.Name
	}
	if in.HTTP != nil && in.HTTP.Request != nil {
		e.RequestID, e.Method = in.HTTP.Request.ID, in.HTTP.Request.Method
	}
	if in.HTTP != nil && in.HTTP.Response != nil {
		e.Status = in.HTTP.Response.StatusCode
	}
	if in.URL != nil {
		e.Path = in.URL.Path
	}
	if in.UserAgent != nil {
		e.UserAgent = in.UserAgent.Original
	}
	if in.Rule != nil {
		e.RuleID, e.RuleName = in.Rule.ID, in.Rule.Name
	}
	if in.Threat != nil {
		e.TechniqueID = in.Threat.Technique.ID
	}
	if in.Observer != nil {
		e.Observer = in.Observer.Name
	}
	return nil
}
