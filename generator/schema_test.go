package generator

import (
	"bytes"
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files and the generated schema")

// TestSchemaIsFresh fails when environment.schema.json no longer matches
// the Go types; run `go test ./generator -run TestSchemaIsFresh -update`.
func TestSchemaIsFresh(t *testing.T) {
	t.Parallel()
	got, err := GenerateSchema(".")
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("environment.schema.json", got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(got, EnvironmentSchema) {
		t.Fatal("environment.schema.json is stale; run: go test ./generator -run TestSchemaIsFresh -update")
	}
}
