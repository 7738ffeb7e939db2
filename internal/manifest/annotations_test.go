package manifest

import (
	"fmt"
	"reflect"
	"testing"
)

// TestDocumentsShareEqualAnnotations: documents with the same annotations
// share one map (Load keeps each distinct one once: at 10,000 rendered
// environments the per-document copies were 40 MiB, alive until the
// report), in plain files, in Lists and in kustomizations; documents with
// other annotations keep theirs.
func TestDocumentsShareEqualAnnotations(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	obj := func(name, annotations string) string {
		return fmt.Sprintf("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n  annotations: %s\n", name, annotations)
	}
	same := "{fluxtf.io/policies: \"common,eks\", team: a}"
	writeTree(t, root, map[string]string{
		"a.yaml":               obj("a", same),
		"b.yaml":               obj("b", "{team: a, fluxtf.io/policies: \"common,eks\"}") + "---\n" + obj("c", "{team: b}"),
		"list.yaml":            "apiVersion: v1\nkind: List\nitems:\n- " + indent(obj("d", same)),
		"k/kustomization.yaml": "resources: [e.yaml]\n",
		"k/e.yaml":             obj("e", same),
	})
	set, err := Load([]string{root}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	maps := map[string]map[string]string{}
	for _, d := range set.Docs {
		maps[d.Name] = d.Annotations()
	}
	if len(maps) != 5 {
		t.Fatalf("documents %v, want a to e", maps)
	}
	first := reflect.ValueOf(maps["a"]).UnsafePointer()
	for _, name := range []string{"b", "d", "e"} {
		if !reflect.DeepEqual(maps[name], maps["a"]) {
			t.Fatalf("%s: annotations %v, want %v", name, maps[name], maps["a"])
		}
		if reflect.ValueOf(maps[name]).UnsafePointer() != first {
			t.Errorf("%s: annotations %v are a map of their own, not a's", name, maps[name])
		}
	}
	if want := map[string]string{"team": "b"}; !reflect.DeepEqual(maps["c"], want) {
		t.Errorf("c: annotations %v, want %v", maps["c"], want)
	}
}

// indent indents the lines after the first of a list item's object.
func indent(s string) string {
	out := []byte{}
	for i := 0; i < len(s); i++ {
		out = append(out, s[i])
		if s[i] == '\n' && i+1 < len(s) {
			out = append(out, ' ', ' ')
		}
	}
	return string(out)
}
