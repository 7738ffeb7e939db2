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

// resolve turns one policy result (a string or an object with msg) into a
// finding, and returns the document it is about (nil for none), whose
// field f.Field locateFindings then locates. rule names the rule when the
// result does not (user policies: their package); doc is the document a
// per-document evaluation ran on.
func (idx *docIndex) resolve(result any, sev finding.Severity, rule string, doc *manifest.Doc) (finding.Finding, *manifest.Doc) {
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
	} else {
		f.File = file
	}
	f.Field = field
	if f.Rule == "" {
		f.Rule = "policy"
	}
	return f, doc
}

// findings locates the results of the built-in rules, the deny then the
// warn ones, each in their order. Locating a result needs its document's
// tree, which Load dropped: manifest.Locate parses each file with
// findings once, for all of them, on every CPU (this was most of the
// time between the evaluation and the report).
func (idx *docIndex) findings(deny, warn []any) []finding.Finding {
	out := make([]finding.Finding, len(deny)+len(warn))
	docs := make([]*manifest.Doc, len(out))
	parallel.For(len(out), func(i int) {
		if i < len(deny) {
			out[i], docs[i] = idx.resolve(deny[i], finding.Deny, "", nil)
		} else {
			out[i], docs[i] = idx.resolve(warn[i-len(deny)], finding.Warn, "", nil)
		}
	})
	return locateFindings(out, docs)
}

// locateFindings sets the line and column of each finding of fs that has a
// document (docs[i], nil for none) with manifest.Locate, and returns fs.
func locateFindings(fs []finding.Finding, docs []*manifest.Doc) []finding.Finding {
	var fields []manifest.Field
	var at []int // the finding of each field
	for i, d := range docs {
		if d != nil {
			fields = append(fields, manifest.Field{Doc: d, Path: fs[i].Field})
			at = append(at, i)
		}
	}
	for k, p := range manifest.Locate(fields) {
		fs[at[k]].Line, fs[at[k]].Column = p.Line, p.Column
	}
	return fs
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
