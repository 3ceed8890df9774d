package test

import (
	"testing"

	"github.com/gatehouse/gatehouse/infrastructure/app"
	"go.uber.org/fx"
)

// TestGraphIsValid checks the whole module list without starting it: fx
// reports a missing or duplicate provider only when the graph is built.
func TestGraphIsValid(t *testing.T) {
	t.Parallel()
	if err := fx.ValidateApp(append(app.Modules(testConfig(t)), fx.NopLogger)...); err != nil {
		t.Fatalf("fx.ValidateApp(app.Modules) = %v", err)
	}
}
