package manifest

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestWalkSkipsNumberedAPIVersions: a YAML file whose apiVersion is a
// number and that has no kind (a Grafana provisioning file for data
// sources, dashboards or alerting: `apiVersion: 1`) is no Kubernetes
// object: a folder walk skips it with the note that counts such files,
// rather than failing on an apiVersion that is "not a string". A kind, or
// an apiVersion that is a string (quoted "1" too), still makes a
// manifest, however broken; named on the command line it stays an error.
func TestWalkSkipsNumberedAPIVersions(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"grafana/datasources.yaml": "apiVersion: 1\ndatasources:\n- name: Prometheus\n  type: prometheus\n  url: http://prometheus:9090\n",
		"grafana/dashboards.yml":   "apiVersion: 1.0\nproviders:\n- name: default\n  options: {path: /var/lib/grafana/dashboards}\n",
		"app.yaml":                 fmt.Sprintf(testCM, "app"),
		"quoted/a.yaml":            "apiVersion: \"1\"\nmetadata: {name: q}\n",
		"kinded/a.yaml":            "apiVersion: 1\nkind: ConfigMap\nmetadata: {name: k}\n",
	})
	set, err := Load([]string{dir}, Options{})
	var msgs []string
	if err != nil {
		msgs = strings.Split(err.Error(), "\n")
	}
	if len(msgs) != 2 || !strings.HasPrefix(msgs[0], filepath.Join(dir, "kinded/a.yaml")+":") || !strings.HasPrefix(msgs[1], filepath.Join(dir, "quoted/a.yaml")+":") {
		t.Errorf("errors %q, want one for kinded/a.yaml and one for quoted/a.yaml", msgs)
	}
	want := fmt.Sprintf("skipped 2 YAML files without a Kubernetes object (neither a kind nor a Kubernetes apiVersion: a Taskfile, a workflow, Helm values, Grafana provisioning?): %s, %s; name a file on the command line to check it as a manifest",
		filepath.Join(dir, "grafana/dashboards.yml"), filepath.Join(dir, "grafana/datasources.yaml"))
	if !slices.Equal(set.Notes, []string{want}) {
		t.Errorf("notes:\n%q\nwant:\n%q", set.Notes, want)
	}
	named := filepath.Join(dir, "grafana/datasources.yaml")
	if _, err := Load([]string{named}, Options{}); err == nil || !strings.HasPrefix(err.Error(), named+":") {
		t.Errorf("named on the command line: err %v, want an error naming it", err)
	}
}
