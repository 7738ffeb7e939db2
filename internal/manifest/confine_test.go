package manifest

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TestKustomizeNeverFetches lists an http:// entry under every field
// kustomize loads from; the local server must see no request and the
// entry must be an input error at its line.
func TestKustomizeNeverFetches(t *testing.T) {
	t.Parallel()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = w.Write([]byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"))
	}))
	t.Cleanup(srv.Close)
	u := srv.URL + "/x.yaml"
	tests := []struct{ name, kust string }{
		{name: "patches", kust: "patches:\n- path: " + u + "\n"},
		{name: "PATCHES upper case", kust: "PATCHES:\n- path: " + u + "\n"},
		{name: "patchesStrategicMerge", kust: "patchesStrategicMerge:\n- " + u + "\n"},
		{name: "patchesJson6902", kust: "patchesJson6902:\n- path: " + u + "\n  target: {kind: ConfigMap, name: a}\n"},
		{name: "configMapGenerator files", kust: "configMapGenerator:\n- name: x\n  files:\n  - " + u + "\n"},
		{name: "configMapGenerator envs", kust: "configMapGenerator:\n- name: x\n  envs:\n  - " + u + "\n"},
		{name: "secretGenerator", kust: "secretGenerator:\n- name: x\n  files:\n  - k=" + u + "\n"},
		{name: "openapi", kust: "openapi:\n  path: " + u + "\n"},
		{name: "crds", kust: "crds:\n- " + u + "\n"},
		{name: "configurations", kust: "configurations:\n- " + u + "\n"},
		{name: "replacements", kust: "replacements:\n- path: " + u + "\n"},
		{name: "generators", kust: "generators:\n- " + u + "\n"},
		{name: "transformers", kust: "transformers:\n- " + u + "\n"},
		{name: "validators", kust: "validators:\n- " + u + "\n"},
		{name: "helmCharts", kust: "helmCharts:\n- name: x\n  repo: " + srv.URL + "\n"},
		{name: "inline generator config", kust: "generators:\n- |\n  apiVersion: builtin\n  kind: ConfigMapGenerator\n  metadata: {name: x}\n  files: [" + u + "]\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "kustomization.yaml"), []byte("resources: [a.yaml]\n"+tc.kust), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Load([]string{dir}, Options{})
			if err == nil || !strings.Contains(err.Error(), "kustomization.yaml:") {
				t.Errorf("err = %v, want an error at the kustomization's line", err)
			}
		})
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the server saw %d requests", n)
	}
}
