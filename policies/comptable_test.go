package policies

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"unsafe"

	"github.com/digx/fluxtf/internal/yamlx"
)

// TestConverterKeepsNoSourceText: the strings the converter keeps (its
// look-up table's keys as well as the terms) are copies, never slices of
// the parsed file's text, which would keep every file read alive until the
// reading ends (at 10,000 environments, 180 MiB of YAML text at the
// reading's peak).
func TestConverterKeepsNoSourceText(t *testing.T) {
	t.Parallel()
	src := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  key: a-value-only-this-file-has\n"
	docs, err := yamlx.Parse("cm.yaml", []byte(src), yamlx.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	c := newConverter()
	if _, err := c.yamlNode(docs[0].Root, false); err != nil {
		t.Fatal(err)
	}
	// the parser's strings are slices of one copy of the file's text: find it
	text := docs[0].Root.Get("kind").Value
	if len(text) == 0 {
		t.Fatal("no kind")
	}
	parsed := make(map[uintptr]bool)
	var walk func(n *yamlx.Node)
	walk = func(n *yamlx.Node) {
		if n.Value != "" {
			parsed[uintptr(unsafe.Pointer(unsafe.StringData(n.Value)))] = true
		}
		for _, x := range n.Content {
			walk(x)
		}
	}
	walk(docs[0].Root)
	for k := range c.strs {
		if k != "" && parsed[uintptr(unsafe.Pointer(unsafe.StringData(k)))] {
			t.Errorf("the converter's key %q is the parser's string, not a copy", k)
		}
	}
}

// TestConverterTableCopiesNoParts: recording an object or a list the
// converter has not seen allocates nothing of its own beyond the dag's
// record (its look-up table holds ids, not a copy of the parts as a
// string key per value): converting thousands of new lists of known
// strings takes a few dozen allocations (the tables' growth), not one or
// more per list.
func TestConverterTableCopiesNoParts(t *testing.T) {
	c := newConverter()
	const n = 64
	var words []string
	for i := range n {
		words = append(words, fmt.Sprintf("w%d", i))
	}
	// every word once: the strings are known before the lists
	warm, err := yamlx.Parse("w.yaml", []byte("["+strings.Join(words, ", ")+"]\n"), yamlx.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.yamlNode(warm[0].Root, false); err != nil {
		t.Fatal(err)
	}
	// n*n distinct lists [wi, wj], as one YAML tree parsed beforehand
	var b strings.Builder
	for i := range n {
		for j := range n {
			fmt.Fprintf(&b, "- [%s, %s]\n", words[i], words[j])
		}
	}
	docs, err := yamlx.Parse("l.yaml", []byte(b.String()), yamlx.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if _, err := c.yamlNode(docs[0].Root, false); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if got := after.Mallocs - before.Mallocs; got > n*n/8 {
		t.Errorf("converting %d new lists took %d allocations, want at most %d", n*n, got, n*n/8)
	}
}
