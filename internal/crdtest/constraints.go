package crdtest

import (
	"encoding/json"
	"fmt"
	"math/big"
	"reflect"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Constraint is one validation keyword found in a schema.
type Constraint struct {
	// Keyword is required, enum, pattern, minLength, maxLength, minimum, maximum or
	// format (int32/int64 only).
	Keyword string
	// Path locates the constrained value from the document root; for required it
	// is the object's path plus the required property.
	Path []string
	// Arg is the keyword's argument (enum list, pattern, bound, format name); for
	// required, the property name.
	Arg any
}

// String renders the constraint as "<keyword> <schema path>", e.g.
// "enum spec.varsFrom[].kind"; test allow-lists use this form.
func (c Constraint) String() string {
	return c.Keyword + " " + SchemaPathString(c.Path)
}

// ObjectPath is the path of the object holding a required property (Path without
// its last segment); for other keywords it is Path.
func (c Constraint) ObjectPath() []string {
	if c.Keyword == "required" {
		return c.Path[:len(c.Path)-1]
	}
	return c.Path
}

var valueKeywords = []string{"enum", "pattern", "minLength", "maxLength", "minimum", "maximum", "format"}

// EnumerateConstraints lists every required/enum/pattern/length/bound/int-format
// constraint in the schema at start (a path from root) and below, in a stable
// order. skip, if non-nil, drops constraints by path and keyword.
func EnumerateConstraints(root map[string]any, start []string, skip func(path []string, keyword string) bool) []Constraint {
	s := SubSchema(root, start...)
	var out []Constraint
	var walk func(s map[string]any, path []string)
	walk = func(s map[string]any, path []string) {
		if s == nil {
			return
		}
		add := func(c Constraint) {
			if skip == nil || !skip(c.Path, c.Keyword) {
				out = append(out, c)
			}
		}
		for _, r := range requiredList(s) {
			add(Constraint{Keyword: "required", Path: appendPath(path, r), Arg: r})
		}
		for _, kw := range valueKeywords {
			v, ok := s[kw]
			if !ok {
				continue
			}
			if kw == "format" {
				if _, isInt := intFormatBounds[v.(string)]; !isInt {
					continue
				}
			}
			add(Constraint{Keyword: kw, Path: appendPath(path), Arg: v})
		}
		props := Properties(s)
		for _, name := range SortedKeys(props) {
			ps, _ := props[name].(map[string]any)
			walk(ps, appendPath(path, name))
		}
		if items, ok := s["items"].(map[string]any); ok {
			walk(items, appendPath(path, "[]"))
		}
		if ap, ok := s["additionalProperties"].(map[string]any); ok {
			walk(ap, appendPath(path, "{}"))
		}
	}
	walk(s, appendPath(start))
	return out
}

// CELRule is one x-kubernetes-validations entry.
type CELRule struct {
	// Path is the schema path of the object the rule applies to (self).
	Path []string
	// Rule is the CEL expression.
	Rule string
	// Message is the error message of the rule.
	Message string
}

// EnumerateCELRules lists every x-kubernetes-validations rule at start and below.
func EnumerateCELRules(root map[string]any, start []string) []CELRule {
	var out []CELRule
	var walk func(s map[string]any, path []string)
	walk = func(s map[string]any, path []string) {
		if s == nil {
			return
		}
		rules, _ := s["x-kubernetes-validations"].([]any)
		for _, r := range rules {
			m, _ := r.(map[string]any)
			rule, _ := m["rule"].(string)
			msg, _ := m["message"].(string)
			out = append(out, CELRule{Path: appendPath(path), Rule: rule, Message: msg})
		}
		props := Properties(s)
		for _, name := range SortedKeys(props) {
			ps, _ := props[name].(map[string]any)
			walk(ps, appendPath(path, name))
		}
		if items, ok := s["items"].(map[string]any); ok {
			walk(items, appendPath(path, "[]"))
		}
		if ap, ok := s["additionalProperties"].(map[string]any); ok {
			walk(ap, appendPath(path, "{}"))
		}
	}
	walk(SubSchema(root, start...), appendPath(start))
	return out
}

func appendPath(path []string, segs ...string) []string {
	return append(append([]string(nil), path...), segs...)
}

// DocBuilder builds minimal documents valid against a schema whose Go
// representation is RootType.
type DocBuilder struct {
	// Root is the root (OpenAPI) schema.
	Root map[string]any
	// RootType is the Go type documents decode into.
	RootType reflect.Type
}

// Candidate strings tried, in order, as valid sample values.
var validStringCandidates = []string{"a", "1m", "https://example.com/repo.git", "a/b", "1", "2024-01-01T00:00:00Z"}

// Candidate strings tried, in order, as pattern violations.
var patternViolationCandidates = []string{"-1s", "1h", "1ns", "-", "a-", "not valid!", "ftp://example.com", "", "1.5.5"}

// Minimal returns the smallest value valid for s that also decodes into Go type t
// (t may be nil): required properties only, empty arrays and maps.
func (b DocBuilder) Minimal(s map[string]any, t reflect.Type) (any, error) {
	if enum, ok := s["enum"].([]any); ok && len(enum) > 0 {
		return enum[0], nil
	}
	if isTrue(s, "x-kubernetes-int-or-string") {
		return json.Number("1"), nil
	}
	switch schemaType(s) {
	case "string":
		return b.validString(s, t)
	case "integer":
		if m, ok := s["minimum"].(json.Number); ok {
			return m, nil
		}
		return json.Number("0"), nil
	case "number":
		return json.Number("0"), nil
	case "boolean":
		return false, nil
	case "array":
		return []any{}, nil
	case "object", "":
		obj := map[string]any{}
		props := Properties(s)
		for _, r := range requiredList(s) {
			ps, _ := props[r].(map[string]any)
			v, err := b.Minimal(ps, fieldType(t, r))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", r, err)
			}
			obj[r] = v
		}
		return obj, nil
	}
	return nil, fmt.Errorf("no minimal value for schema type %q", schemaType(s))
}

func (b DocBuilder) validString(s map[string]any, t reflect.Type) (string, error) {
	for _, c := range validStringCandidates {
		if stringSatisfies(s, c) && decodesAs(t, c) {
			return c, nil
		}
	}
	return "", fmt.Errorf("no sample string satisfies %v and decodes into %v; extend validStringCandidates", s, t)
}

// stringSatisfies checks c against the string keywords of s.
func stringSatisfies(s map[string]any, c string) bool {
	if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(c) {
		return false
	}
	n := int64(utf8.RuneCountInString(c))
	if v, ok := s["minLength"].(json.Number); ok {
		if m, _ := v.Int64(); n < m {
			return false
		}
	}
	if v, ok := s["maxLength"].(json.Number); ok {
		if m, _ := v.Int64(); n > m {
			return false
		}
	}
	return true
}

func decodesAs(t reflect.Type, v any) bool {
	if t == nil {
		return true
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return false
	}
	return json.Unmarshal(raw, reflect.New(t).Interface()) == nil
}

func fieldType(t reflect.Type, name string) reflect.Type {
	t = Deref(t)
	if t == nil {
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		if f, ok := GoFields(t)[name]; ok {
			return f.Type
		}
	case reflect.Map:
		return t.Elem()
	}
	return nil
}

func elemType(t reflect.Type) reflect.Type {
	t = Deref(t)
	if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Map) {
		return t.Elem()
	}
	return nil
}

// locate walks doc along path (which must be non-empty), creating minimal
// containers on the way, and returns the container holding the last segment with
// that segment's schema and Go type.
func (b DocBuilder) locate(doc map[string]any, path []string) (container any, last string, s map[string]any, t reflect.Type, err error) {
	var cur any = doc
	s, t = b.Root, b.RootType
	for i, seg := range path {
		switch seg {
		case "[]", "{}":
			t = elemType(t)
		default:
			t = fieldType(t, seg)
		}
		s = SubSchema(s, seg)
		if s == nil {
			return nil, "", nil, nil, fmt.Errorf("no schema at %s", SchemaPathString(path[:i+1]))
		}
		if i == len(path)-1 {
			return cur, seg, s, t, nil
		}
		next, ok := get(cur, seg)
		needsItem := path[i+1] == "[]"
		if arr, isArr := next.([]any); ok && needsItem && isArr && len(arr) == 0 {
			ok = false
		}
		if !ok {
			var v any
			switch path[i+1] {
			case "[]":
				item, err := b.Minimal(SubSchema(s, "[]"), elemType(t))
				if err != nil {
					return nil, "", nil, nil, err
				}
				v = []any{item}
			case "{}":
				item, err := b.Minimal(SubSchema(s, "{}"), elemType(t))
				if err != nil {
					return nil, "", nil, nil, err
				}
				v = map[string]any{"k": item}
			default:
				if v, err = b.Minimal(s, t); err != nil {
					return nil, "", nil, nil, err
				}
			}
			set(cur, seg, v)
			next = v
		}
		cur = next
	}
	return nil, "", nil, nil, fmt.Errorf("empty path")
}

func get(container any, seg string) (any, bool) {
	switch c := container.(type) {
	case map[string]any:
		key := seg
		if seg == "{}" {
			key = "k"
		}
		v, ok := c[key]
		return v, ok
	case []any:
		if seg == "[]" && len(c) > 0 {
			return c[0], true
		}
	}
	return nil, false
}

func set(container any, seg string, v any) {
	switch c := container.(type) {
	case map[string]any:
		key := seg
		if seg == "{}" {
			key = "k"
		}
		c[key] = v
	case []any:
		if seg == "[]" && len(c) > 0 {
			c[0] = v
		}
	}
}

// ParityCase is a pair of documents for one constraint: Valid satisfies the
// schema, Invalid differs from it only by violating the constraint.
type ParityCase struct {
	Constraint Constraint
	Valid      []byte
	Invalid    []byte
	// ExpectedPaths are the field paths (field.Path string form) at which a
	// validator is expected to report the violation.
	ExpectedPaths []string
}

// BuildCase builds the documents for constraint c, starting from a copy of base
// (which must already hold whatever the root needs, e.g. apiVersion and kind).
func (b DocBuilder) BuildCase(base map[string]any, c Constraint) (ParityCase, error) {
	doc, err := deepCopy(base)
	if err != nil {
		return ParityCase{}, err
	}
	container, last, s, t, err := b.locate(doc, c.Path)
	if err != nil {
		return ParityCase{}, err
	}
	if _, present := get(container, last); !present {
		v, err := b.Minimal(s, t)
		if err != nil {
			return ParityCase{}, err
		}
		set(container, last, v)
	}
	valid, err := json.Marshal(doc)
	if err != nil {
		return ParityCase{}, err
	}

	pc := ParityCase{Constraint: c, Valid: valid, ExpectedPaths: []string{PathString(c.Path)}}
	if c.Keyword == "required" {
		m, ok := container.(map[string]any)
		if !ok {
			return ParityCase{}, fmt.Errorf("required %s: parent is not an object", SchemaPathString(c.Path))
		}
		delete(m, last)
		pc.ExpectedPaths = append(pc.ExpectedPaths, PathString(c.ObjectPath()))
	} else {
		bad, err := violation(c, s, t)
		if err != nil {
			return ParityCase{}, err
		}
		set(container, last, bad)
	}
	if pc.Invalid, err = json.Marshal(doc); err != nil {
		return ParityCase{}, err
	}
	return pc, nil
}

func violation(c Constraint, s map[string]any, t reflect.Type) (any, error) {
	bound := func(delta int64) (any, error) {
		n, ok := new(big.Int).SetString(string(c.Arg.(json.Number)), 10)
		if !ok {
			return nil, fmt.Errorf("%s: non-integer bound %v", c, c.Arg)
		}
		return json.Number(n.Add(n, big.NewInt(delta)).String()), nil
	}
	switch c.Keyword {
	case "enum":
		bad := "fluxtf-not-in-enum"
		for _, e := range c.Arg.([]any) {
			if e == bad {
				return nil, fmt.Errorf("%s: enum contains the violation sample", c)
			}
		}
		return bad, nil
	case "pattern":
		re := regexp.MustCompile(c.Arg.(string))
		noPattern := withoutKey(s, "pattern")
		for _, cand := range patternViolationCandidates {
			if !re.MatchString(cand) && stringSatisfies(noPattern, cand) && decodesAs(t, cand) {
				return cand, nil
			}
		}
		// Nothing both violates the pattern and decodes: the Go type itself
		// enforces the pattern; use a plain violation.
		for _, cand := range patternViolationCandidates {
			if !re.MatchString(cand) {
				return cand, nil
			}
		}
		return nil, fmt.Errorf("%s: no violation sample; extend patternViolationCandidates", c)
	case "minLength":
		n, _ := c.Arg.(json.Number).Int64()
		if n == 0 {
			return nil, fmt.Errorf("%s: minLength 0 cannot be violated", c)
		}
		return strings.Repeat("a", int(n-1)), nil
	case "maxLength":
		n, _ := c.Arg.(json.Number).Int64()
		return strings.Repeat("a", int(n+1)), nil
	case "minimum":
		return bound(-1)
	case "maximum":
		return bound(+1)
	case "format":
		b := intFormatBounds[c.Arg.(string)]
		n, _ := new(big.Int).SetString(b[1], 10)
		return json.Number(n.Add(n, big.NewInt(1)).String()), nil
	}
	return nil, fmt.Errorf("%s: unsupported keyword", c)
}

func withoutKey(s map[string]any, key string) map[string]any {
	out := make(map[string]any, len(s))
	for k, v := range s {
		if k != key {
			out[k] = v
		}
	}
	return out
}

func deepCopy(m map[string]any) (map[string]any, error) {
	raw, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	var out map[string]any
	if err := dec.Decode(&out); err != nil {
		return nil, err
	}
	return out, nil
}
