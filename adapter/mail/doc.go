// Package mail delivers gatehouse's messages and renders them: an SMTP
// client (github.com/wneessen/go-mail) that requires STARTTLS unless told
// to speak TLS from the start or, on a loopback host only, not at all; a
// pickup directory of .eml files for development; and the composer that
// renders each kind of message from the embedded templates
// (templates/mail) as plain text with an HTML alternative, with links
// built from the public URL only.
//
// Nothing here logs a message: not its body, not its code.
package mail
