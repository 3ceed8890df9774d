package logging

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
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
