package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	eventv1 "github.com/fluxcd/pkg/apis/event/v1beta1"
)

// slackAPI is Slack's chat.postMessage method, which answers 200 with
// {"ok": false} on failure, unlike incoming webhooks.
const slackAPI = "https://slack.com/api/chat.postMessage"

// slack posts an attachment to a Slack incoming webhook, or to
// chat.postMessage with a bot token.
type slack struct {
	httpSender
	o Options
}

type slackPayload struct {
	Channel     string            `json:"channel"`
	Username    string            `json:"username"`
	IconURL     string            `json:"icon_url"`
	IconEmoji   string            `json:"icon_emoji"`
	Text        string            `json:"text,omitempty"`
	Attachments []slackAttachment `json:"attachments,omitempty"`
}

type slackAttachment struct {
	Fallback   string       `json:"fallback"`
	Color      string       `json:"color"`
	AuthorName string       `json:"author_name"`
	Text       string       `json:"text"`
	MrkdwnIn   []string     `json:"mrkdwn_in"`
	Fields     []slackField `json:"fields"`
}

type slackField struct {
	Title string `json:"title"`
	Value string `json:"value"`
	Short bool   `json:"short"`
}

func newSlack(o Options) (Sender, error) {
	if err := checkURL("Slack", o.URL); err != nil {
		return nil, err
	}
	h, err := newHTTPSender(o)
	if err != nil {
		return nil, err
	}
	return &slack{httpSender: h, o: o}, nil
}

func (s *slack) Post(ctx context.Context, event eventv1.Event) error {
	payload := slackPayload{Channel: s.o.Channel, Username: s.o.Username}
	if payload.Username == "" {
		payload.Username = event.ReportingController
	}
	color := "good"
	if event.Severity == eventv1.EventSeverityError {
		color = "danger"
	}
	// Flux lists the metadata in map order; sorted, the body is the same
	// for the same event.
	fields := make([]slackField, 0, len(event.Metadata))
	for _, key := range slices.Sorted(maps.Keys(event.Metadata)) {
		fields = append(fields, slackField{Title: key, Value: event.Metadata[key]})
	}
	author := fmt.Sprintf("%s/%s.%s", strings.ToLower(event.InvolvedObject.Kind), event.InvolvedObject.Name, event.InvolvedObject.Namespace)
	payload.Attachments = []slackAttachment{{
		Fallback:   author + ": " + strings.Split(event.Message, "\n")[0],
		Color:      color,
		AuthorName: author,
		Text:       event.Message,
		MrkdwnIn:   []string{"text"},
		Fields:     fields,
	}}
	body, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("marshalling notification payload failed: %w", err)
	}
	headers := http.Header{}
	if s.o.Token != "" {
		headers.Set("Authorization", "Bearer "+s.o.Token)
	}
	r := request{url: s.o.URL, body: body, headers: headers}
	if s.o.URL == slackAPI {
		r.validate = slackAPIAnswer
	}
	if err := post(ctx, s.client, r); err != nil {
		return fmt.Errorf("postMessage failed: %w", err)
	}
	return nil
}

// slackAPIAnswer checks chat.postMessage's answer, always 200.
func slackAPIAnswer(resp *http.Response) error {
	var answer struct {
		OK    bool   `json:"ok"`
		Error string `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
		return fmt.Errorf("unable to unmarshal response body: %w", err)
	}
	if !answer.OK {
		return fmt.Errorf("chat.postMessage answered with error: %s", answer.Error)
	}
	return nil
}
