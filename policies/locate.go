package policies

import (
	"fmt"

	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/manifest"
	"github.com/digx/fluxtf/internal/parallel"
)

// docIndex finds the document a policy result is about.
type docIndex struct {
	byFileKey map[string]*manifest.Doc // file|kind|namespace|name
	byKey     map[string]*manifest.Doc // kind|namespace|name, first wins
}

func objKey(kind, namespace, name string) string {
	return kind + "|" + namespace + "|" + name
}

func newDocIndex(docs []*manifest.Doc) *docIndex {
	idx := &docIndex{byFileKey: make(map[string]*manifest.Doc, len(docs)), byKey: make(map[string]*manifest.Doc, len(docs))}
	for _, d := range docs {
		k := objKey(d.Kind, d.Namespace, d.Name)
		idx.byFileKey[d.File+"|"+k] = d
		if _, ok := idx.byKey[k]; !ok {
			idx.byKey[k] = d
		}
	}
	return idx
}

func (idx *docIndex) lookup(file, kind, namespace, name string) *manifest.Doc {
	k := objKey(kind, namespace, name)
	if file != "" {
		if d, ok := idx.byFileKey[file+"|"+k]; ok {
			return d
		}
	}
	return idx.byKey[k]
}

// finding turns one policy result (a string or an object with msg) into a
// located finding. rule names the rule when the result does not (user
// policies: their package); doc is the document a per-document evaluation
// ran on.
func (idx *docIndex) finding(result any, sev finding.Severity, rule string, doc *manifest.Doc) finding.Finding {
	f := finding.Finding{Rule: rule, Severity: sev}
	var file, field string
	switch r := result.(type) {
	case string:
		f.Message = r
	case map[string]any:
		str := func(k string) string {
			s, _ := r[k].(string)
			return s
		}
		f.Message = str("msg")
		if f.Message == "" {
			f.Message = fmt.Sprint(r)
		}
		if id := str("rule"); id != "" {
			f.Rule = id
		}
		file, field = str("path"), str("field")
		if w, ok := r["waivable"].(bool); ok && !w {
			f.Unwaivable = true
		}
		f.Kind, f.Name, f.Namespace, f.APIVersion = str("kind"), str("name"), str("namespace"), str("apiVersion")
	default:
		f.Message = fmt.Sprint(r)
	}
	if doc == nil && f.Kind != "" {
		doc = idx.lookup(file, f.Kind, f.Namespace, f.Name)
	}
	if doc != nil {
		f.File = doc.File
		f.Kind, f.Name, f.Namespace, f.APIVersion = doc.Kind, doc.Name, doc.Namespace, doc.APIVersion
		f.Line, f.Column = doc.Pos(field)
	} else {
		f.File = file
	}
	f.Field = field
	if f.Rule == "" {
		f.Rule = "policy"
	}
	return f
}

// findings locates the results of the built-in rules of one severity, in
// their order, on every CPU: locating a result reads and parses again the
// file of its document (manifest.Doc.Pos), which was most of the time
// between the evaluation and the report. (finding only reads the index,
// and Doc.Pos may be called concurrently.)
func (idx *docIndex) findings(results []any, sev finding.Severity) []finding.Finding {
	out := make([]finding.Finding, len(results))
	parallel.For(len(results), func(i int) { out[i] = idx.finding(results[i], sev, "", nil) })
	return out
}

// byObject groups finding indexes by the object they are about.
func byObject(fs []finding.Finding) map[string][]int {
	m := map[string][]int{}
	for i, f := range fs {
		k := f.File + "|" + objKey(f.Kind, f.Namespace, f.Name)
		m[k] = append(m[k], i)
	}
	return m
}
