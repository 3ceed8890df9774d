package web

import (
	"sync"

	"github.com/medama-io/go-useragent"
	"github.com/medama-io/go-useragent/agents"
)

// unknownDevice is shown for a User-Agent the parser does not recognize.
const unknownDevice = "Unknown browser"

// lazyAgentParser returns a function that builds the User-Agent parser on
// its first call (about 80 ms) and returns that same parser from then on,
// to any number of goroutines. The parser's lookup tree takes about 6 MiB
// of heap and only the account page uses it, so a server nobody opens that
// page on never builds it, and the start stays small. (NewParser happens
// to cache its parser today, but is documented to create one; OnceValue
// keeps a later version from rebuilding it on every page view.)
func lazyAgentParser() func() *useragent.Parser {
	return sync.OnceValue(useragent.NewParser)
}

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
