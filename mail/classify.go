package mail

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/textproto"

	gomail "github.com/wneessen/go-mail"
)

// Failure is a failed delivery, described without the words of the error: the text go-mail and
// SMTP servers give names the recipient ("affected recipient(s): …", "550 <x@y> unknown"), and
// contact addresses must not reach the log.
type Failure struct {
	// Reason says what failed, e.g. "RCPT TO refused: SMTP 550 5.1.1"; it holds no address.
	Reason string
	// Permanent is true for a 5xx reply (or a message that can never be sent as it is): trying
	// again would fail the same way.
	Permanent bool
}

// ErrBadRecipient is returned by SMTPSender.Send when the recipient address cannot be used.
var ErrBadRecipient = errors.New("recipient address cannot be used")

// Classify describes a delivery error for the log and the outbox, without its text.
func Classify(err error) Failure {
	var se *gomail.SendError
	if errors.As(err, &se) {
		f := Failure{Reason: se.Reason.String()}
		if code := se.ErrorCode(); code != 0 {
			f.Reason += fmt.Sprintf(": SMTP %d", code)
			if esc := se.EnhancedStatusCode(); esc != "" {
				f.Reason += " " + esc
			}
			f.Permanent = code >= 500
		} else if tp := textprotoCode(err); tp != 0 {
			f.Reason += fmt.Sprintf(": SMTP %d", tp)
			f.Permanent = tp >= 500
		} else {
			f.Permanent = !se.IsTemp() && se.Reason == gomail.ErrGetRcpts
		}
		return f
	}
	if code := textprotoCode(err); code != 0 {
		return Failure{Reason: fmt.Sprintf("SMTP %d", code), Permanent: code >= 500 && code != 530 && code != 535}
	}
	var ne net.Error
	switch {
	case errors.Is(err, ErrBadRecipient):
		return Failure{Reason: "recipient address cannot be used", Permanent: true}
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return Failure{Reason: "timed out"}
	case errors.As(err, &ne):
		return Failure{Reason: "cannot reach the SMTP server"}
	}
	return Failure{Reason: fmt.Sprintf("other error (%T)", err)}
}

// textprotoCode is the SMTP reply code in err, or 0.
func textprotoCode(err error) int {
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code
	}
	return 0
}
