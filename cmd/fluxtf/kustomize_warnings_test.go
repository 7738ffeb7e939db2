package main

import (
	"bytes"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestKustomizeDeprecationWarningsAreNotes: kustomize writes a warning
// straight to stderr for each deprecated field of a kustomization it
// loads (`bases`, `vars`, `commonLabels`, `patchesStrategicMerge`); in
// every output format each becomes one note of fluxtf's, escaped as notes
// are, that starts with the file:line of the field (a base's kustomization
// file, for a field there), and no line of kustomize's own reaches stderr. (The child process
// is the CLI, so that what kustomize writes to the real stderr is seen.)
func TestKustomizeDeprecationWarningsAreNotes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]string{
		".git/HEAD":               "ref: refs/heads/main\n",
		"base/cm.yaml":            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: base, namespace: apps}\ndata: {a: b}\n",
		"base/kustomization.yaml": "resources: [cm.yaml]\ncommonLabels: {team: a}\n",
		"app/cm.yaml":             "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app, namespace: apps}\ndata: {a: b}\n",
		"app/patch.yaml":          "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app, namespace: apps}\ndata: {c: d}\n",
		"app/kustomization.yaml":  "resources: [cm.yaml]\nbases: [../base]\nvars: []\npatchesStrategicMerge: [patch.yaml]\n",
	}
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, p, []byte(data))
	}
	// each field at the line of the file that holds it
	deprecated := map[string]string{
		"'bases'": "app/kustomization.yaml:2", "'vars'": "app/kustomization.yaml:3", "'patchesStrategicMerge'": "app/kustomization.yaml:4",
		"'commonLabels'": "base/kustomization.yaml:2",
	}
	for _, format := range []string{"text", "json", "sarif", "github", "junit", "markdown"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			cmd := badCommand(t, dir, false, "validate", "--no-baseline", "-o", format, "app")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("validate: %v\nstderr:\n%s", err, stderr.String())
			}
			for line := range strings.Lines(stderr.String()) {
				if strings.HasPrefix(line, "# ") || strings.HasPrefix(line, "Warning") {
					t.Errorf("kustomize's own line on stderr: %q", line)
				}
			}
			for field, at := range deprecated {
				note := at + ": kustomize, building app/kustomization.yaml: Warning: " + field + " is deprecated"
				n := 0
				for line := range strings.Lines(stderr.String()) {
					if strings.Contains(line, field+" is deprecated") {
						n++
						if !strings.Contains(line, "note: "+note) {
							t.Errorf("not one of fluxtf's notes: %q", line)
						}
					}
				}
				// json, sarif and junit carry the notes on stdout instead (junit
				// XML-escaped)
				if n > 1 || n == 0 && !strings.Contains(html.UnescapeString(stdout.String()), note) {
					t.Errorf("%d lines on stderr say %s is deprecated, want one note (on stdout in %s)\nstderr:\n%s", n, field, format, stderr.String())
				}
			}
		})
	}
}
