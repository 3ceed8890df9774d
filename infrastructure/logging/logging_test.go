package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/gatehouse/gatehouse/infrastructure/config"
	"go.uber.org/fx/fxtest"
)

func TestNewFormatsAndLevels(t *testing.T) {
	var text, js bytes.Buffer
	New(&text, Settings{Format: "text", Level: slog.LevelWarn}).Info("hidden")
	New(&text, Settings{Format: "text", Level: slog.LevelWarn}).Warn("shown", "k", "v")
	if strings.Contains(text.String(), "hidden") || !strings.Contains(text.String(), "msg=shown k=v") {
		t.Errorf("text logger at warn wrote %q, want only the warning as key=value", text.String())
	}
	New(&js, Settings{Format: "json", Level: slog.LevelDebug}).Debug("detail", "k", "v")
	var line map[string]any
	if err := json.Unmarshal(js.Bytes(), &line); err != nil || line["msg"] != "detail" || line["k"] != "v" {
		t.Errorf("json logger at debug wrote %q (%v), want one JSON object with msg and k", js.String(), err)
	}
}

// TestServiceLoggerStopWritesEverything checks the Module's logger: a
// request line waits, and stopping the app (a clean shutdown) writes it.
func TestServiceLoggerStopWritesEverything(t *testing.T) {
	var out lockedWriter
	lc := fxtest.NewLifecycle(t)
	log := newServiceLogger(lc, config.Config{LogFormat: "json", LogLevel: slog.LevelInfo}, &out)
	lc.RequireStart()
	log.InfoContext(Deferred(context.Background()), "request", "n", 1)
	log.InfoContext(Deferred(context.Background()), "request", "n", 2)
	lc.RequireStop()
	if got := out.String(); strings.Count(got, `"msg":"request"`) != 2 {
		t.Errorf("after the app stopped the log holds %q, want both request lines", got)
	}
}

type lockedWriter struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
