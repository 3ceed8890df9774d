package web

import (
	"github.com/medama-io/go-useragent"
	"github.com/medama-io/go-useragent/agents"
)

// unknownDevice is shown for a User-Agent the parser does not recognize.
const unknownDevice = "Unknown browser"

// describeAgent names the browser and operating system of a User-Agent
// the way a person would ("Chrome on Windows"), from the parser's fixed
// list of names only, never from the header's own text.
func describeAgent(parser *useragent.Parser, ua string) string {
	if ua == "" {
		return unknownDevice
	}
	agent := parser.Parse(ua)
	browser, os := string(agent.Browser()), osName(agent.OS())
	switch {
	case agent.IsBot():
		return "Automated client"
	case browser != "" && os != "":
		return browser + " on " + os
	case browser != "":
		return browser
	case os != "":
		return unknownDevice + " on " + os
	}
	return unknownDevice
}

// osName spells an operating system as its maker does.
func osName(os agents.OS) string {
	switch os {
	case agents.OSMacOS:
		return "macOS"
	case agents.OSIOS:
		return "iOS"
	}
	return string(os)
}
