package yamlx

import (
	"encoding"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// maxErrors caps how many problems one Decode reports.
const maxErrors = 20

// Decode fills out (a non-nil pointer) from n by json tags, strictly:
// unknown fields, wrong scalar types (a number where a string belongs: quote
// it), out-of-range numbers and non-string keys are errors. Fields absent
// from n keep their value in out, so callers may preset defaults. Types that
// implement json.Unmarshaler receive the JSON form of their subtree. The
// returned error is an ErrorList of at most 20 entries.
func Decode(n *Node, out any) error {
	return DecodeWith(n, out, nil)
}

// DecodeOptions are shortcuts for Decode (DecodeWith).
type DecodeOptions struct {
	// Strings decode a plain string into a value of their type (v is
	// addressable) as that type's UnmarshalJSON decodes its JSON string,
	// errors included, without the JSON: a scalar tagged !!str whose JSON
	// string needs no escape takes it instead of UnmarshalJSON. Anything
	// else (a number, null, a list) still goes to UnmarshalJSON.
	Strings map[reflect.Type]func(v reflect.Value, s string) error
}

// DecodeWith is Decode with the shortcuts of opts (nil for none).
func DecodeWith(n *Node, out any, opts *DecodeOptions) error {
	rv := reflect.ValueOf(out)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("yamlx: Decode needs a non-nil pointer, got %T", out)
	}
	d := decoders.Get().(*decoder)
	defer func() {
		clear(d.at[:cap(d.at)]) // no key strings kept alive
		buf := d.buf[:0]
		if cap(buf) > maxKeptJSON {
			buf = nil
		}
		*d = decoder{at: d.at[:0], buf: buf}
		decoders.Put(d)
	}()
	if opts != nil {
		d.strings = opts.Strings
	}
	d.value(n, rv.Elem())
	if len(d.errs) > 0 {
		return d.errs
	}
	return nil
}

// decoders are used again: a decoder and its path took about a tenth of
// what decoding a rendered object allocated.
var decoders = sync.Pool{New: func() any {
	return &decoder{at: make([]step, 0, 16)} // room for a manifest's depth
}}

type decoder struct {
	errs ErrorList
	// at is the path to the value being decoded, written out only for
	// an error (a string built for every field was a seventh of what
	// manifest.Load allocates)
	at []step
	// buf holds the JSON given to the last json.Unmarshaler, its room
	// used again for the next (the interface's contract: UnmarshalJSON
	// copies what it keeps)
	buf []byte
	// strings are DecodeOptions.Strings
	strings map[reflect.Type]func(v reflect.Value, s string) error
}

// maxKeptJSON is the most room for JSON a pooled decoder keeps.
const maxKeptJSON = 64 << 10

// step is one part of a field path: a struct field, a map key or a list
// index.
type step struct {
	kind  stepKind
	key   string
	index int
}

type stepKind uint8

const (
	fieldStep stepKind = iota
	keyStep
	indexStep
)

func (d *decoder) push(s step) { d.at = append(d.at, s) }
func (d *decoder) pop()        { d.at = d.at[:len(d.at)-1] }

// path writes out the path to the value being decoded: spec.vars[2].name,
// metadata.labels[app] (joinKey's notation for fields).
func (d *decoder) path() string {
	p := ""
	for _, s := range d.at {
		switch s.kind {
		case fieldStep:
			p = joinKey(p, s.key)
		case keyStep:
			p += "[" + s.key + "]"
		case indexStep:
			p += "[" + strconv.Itoa(s.index) + "]"
		}
	}
	return p
}

func (d *decoder) fail(n *Node, format string, args ...any) {
	if len(d.errs) < maxErrors {
		d.errs = append(d.errs, errAt(n, d.path(), fmt.Sprintf(format, args...)))
	}
}

func (d *decoder) value(n *Node, v reflect.Value) {
	if n == nil {
		return
	}
	if d.strings != nil && n.Kind == ScalarNode && n.Tag == TagStr {
		if f, ok := d.strings[v.Type()]; ok && v.CanAddr() && plainJSONString(n.Value) {
			if err := f(v, n.Value); err != nil {
				d.fail(n, "%s", strings.TrimPrefix(err.Error(), "json: "))
			}
			return
		}
	}
	if v.CanAddr() {
		if u, ok := v.Addr().Interface().(json.Unmarshaler); ok && v.Kind() != reflect.Interface {
			d.unmarshalJSON(n, u)
			return
		}
	}
	if n.IsNull() {
		// null leaves pointers, maps and slices nil and everything else zero
		v.SetZero()
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.value(n, v.Elem())
	case reflect.Interface:
		if v.NumMethod() != 0 {
			d.fail(n, "cannot decode into %s", v.Type())
			return
		}
		x, ok := d.anyValue(n)
		if !ok {
			return
		}
		if x == nil {
			v.SetZero()
			return
		}
		v.Set(reflect.ValueOf(x))
	case reflect.Struct:
		d.structValue(n, v)
	case reflect.Map:
		d.mapValue(n, v)
	case reflect.Slice:
		d.sliceValue(n, v)
	case reflect.String:
		d.stringValue(n, v)
	case reflect.Bool:
		if !d.expectScalar(n, "a boolean (true or false)") {
			return
		}
		if n.Tag != TagBool {
			d.fail(n, "expected a boolean (true or false), got %s", describe(n))
			return
		}
		b, err := parseBool(n.Value)
		if err != nil {
			d.fail(n, "%v", err)
			return
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if !d.expectScalar(n, "an integer") {
			return
		}
		i, ok := d.intOf(n)
		if !ok {
			return
		}
		if v.OverflowInt(i) {
			d.fail(n, "%d is out of range for this field", i)
			return
		}
		v.SetInt(i)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if !d.expectScalar(n, "a non-negative integer") {
			return
		}
		u, ok := d.uintOf(n)
		if !ok {
			return
		}
		if v.OverflowUint(u) {
			d.fail(n, "%d is out of range for this field", u)
			return
		}
		v.SetUint(u)
	case reflect.Float32, reflect.Float64:
		if !d.expectScalar(n, "a number") {
			return
		}
		if n.Tag != TagInt && n.Tag != TagFloat {
			d.fail(n, "expected a number, got %s", describe(n))
			return
		}
		x, err := scalarValue(n) // an int64 or a finite float64
		if err != nil {
			d.fail(n, "%v", err)
			return
		}
		var f float64
		switch x := x.(type) {
		case int64:
			f = float64(x)
		case float64:
			f = x
		}
		if v.OverflowFloat(f) {
			d.fail(n, "%v is out of range for this field", f)
			return
		}
		v.SetFloat(f)
	default:
		d.fail(n, "cannot decode into %s", v.Type())
	}
}

// intOf reads an integer, or a float with no fractional part (1e3, 2.0).
func (d *decoder) intOf(n *Node) (int64, bool) {
	if n.Tag != TagInt {
		if f, ok := integralFloat(n); ok {
			return int64(f), true
		}
		d.notInt(n)
		return 0, false
	}
	i, err := parseInt(n.Value)
	if err != nil {
		d.fail(n, "%v", err)
		return 0, false
	}
	return i, true
}

// uintOf is intOf for unsigned fields, which take values up to 2^64-1.
func (d *decoder) uintOf(n *Node) (uint64, bool) {
	if n.Tag != TagInt {
		if f, ok := integralFloat(n); ok {
			if f < 0 {
				d.fail(n, "%s is out of range for this field", n.Value)
				return 0, false
			}
			return uint64(f), true
		}
		d.notInt(n)
		return 0, false
	}
	neg, u, err := parseIntParts(n.Value)
	switch {
	case err != nil:
		d.fail(n, "%v", err)
		return 0, false
	case neg && u != 0:
		d.fail(n, "%s is out of range for this field", n.Value)
		return 0, false
	}
	return u, true
}

// notInt reports a scalar that is not an integer. go-yaml tags a run of
// digits too long for 64 bits as a float; that is an integer out of range.
func (d *decoder) notInt(n *Node) {
	if n.Tag == TagFloat && isDigits(strings.TrimLeft(strings.ReplaceAll(n.Value, "_", ""), "+-")) {
		d.fail(n, "%s is out of range for this field", n.Value)
		return
	}
	d.fail(n, "expected an integer, got %s", describe(n))
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// integralFloat reads a !!float scalar that holds an exact integer.
func integralFloat(n *Node) (float64, bool) {
	if n.Tag != TagFloat {
		return 0, false
	}
	f, err := parseFloat(n.Value)
	return f, err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53
}

func (d *decoder) expectScalar(n *Node, want string) bool {
	if n.Kind != ScalarNode {
		d.fail(n, "expected %s, got a %s", want, n.Kind)
		return false
	}
	return true
}

func (d *decoder) stringValue(n *Node, v reflect.Value) {
	if v.CanAddr() {
		if u, ok := v.Addr().Interface().(encoding.TextUnmarshaler); ok {
			if !d.expectScalar(n, "a string") {
				return
			}
			if err := u.UnmarshalText([]byte(n.Value)); err != nil {
				d.fail(n, "%v", err)
			}
			return
		}
	}
	if !d.expectScalar(n, "a string") {
		return
	}
	switch n.Tag {
	case TagStr, TagTimestamp, TagBinary:
		v.SetString(n.Value)
	case TagInt, TagFloat:
		d.fail(n, "expected a string, got the number %s; quote it: %q", n.Value, n.Value)
	case TagBool:
		d.fail(n, "expected a string, got the boolean %s; quote it: %q", n.Value, n.Value)
	default:
		d.fail(n, "expected a string, got %s", describe(n))
	}
}

func describe(n *Node) string {
	if n.Kind != ScalarNode {
		return "a " + n.Kind.String()
	}
	switch n.Tag {
	case TagStr, TagTimestamp:
		return fmt.Sprintf("the string %q", n.Value)
	case TagInt, TagFloat:
		return "the number " + n.Value
	case TagBool:
		return "the boolean " + n.Value
	case TagNull:
		return "null"
	}
	return n.Value
}

func (d *decoder) unmarshalJSON(n *Node, u json.Unmarshaler) {
	if n.IsNull() {
		if err := u.UnmarshalJSON([]byte("null")); err != nil {
			d.fail(n, "%v", err)
		}
		return
	}
	raw, ok := appendScalarJSON(d.buf[:0], n)
	if !ok {
		raw, ok = appendTreeJSON(d.buf[:0], n)
	}
	if ok {
		d.buf = raw
	} else {
		x, ok := d.anyValue(n)
		if !ok {
			return
		}
		var err error
		if raw, err = json.Marshal(x); err != nil {
			d.fail(n, "%v", err)
			return
		}
	}
	if err := u.UnmarshalJSON(raw); err != nil {
		d.fail(n, "%s", strings.TrimPrefix(err.Error(), "json: "))
	}
}

// scalarJSON returns json.Marshal of the value of a scalar that is a
// string of printable ASCII needing no escape, a boolean or an integer
// (a Duration, a Terraform variable's value), without going through an
// interface and the encoder; ok is false for anything else, which takes
// that way (TestScalarJSONIsMarshal).
func scalarJSON(n *Node) (raw []byte, ok bool) {
	return appendScalarJSON(nil, n)
}

// appendScalarJSON appends scalarJSON(n) to b.
func appendScalarJSON(b []byte, n *Node) (raw []byte, ok bool) {
	if n.Kind != ScalarNode {
		return nil, false
	}
	switch n.Tag {
	case TagNull, TagFloat:
		return nil, false
	case TagBool, TagInt:
		return appendBoolIntJSON(b, n)
	}
	if !plainJSONString(n.Value) {
		return nil, false
	}
	b = append(b, '"')
	b = append(b, n.Value...)
	return append(b, '"'), true
}

// appendBoolIntJSON appends the JSON of scalar n tagged !!bool or !!int;
// false when its text is no such value (an int beyond int64 is a float).
func appendBoolIntJSON(b []byte, n *Node) ([]byte, bool) {
	if n.Tag == TagBool {
		v, err := parseBool(n.Value)
		if err != nil {
			return nil, false
		}
		return strconv.AppendBool(b, v), true
	}
	i, err := parseInt(n.Value)
	if err != nil {
		return nil, false
	}
	return strconv.AppendInt(b, i, 10), true
}

// plainJSONString reports whether s is printable ASCII that JSON quotes
// as it is: encoding/json escapes control characters, quotes, backslashes
// and <, > and &, and rewrites invalid UTF-8.
func plainJSONString(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}

// anyValue is ToAny that reports, at its own place, every scalar it cannot
// represent (.inf, .nan, !!bool yes, !!int abc) instead of writing a zero.
func (d *decoder) anyValue(n *Node) (any, bool) {
	switch n.Kind {
	case MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		ok := true
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i].Value
			d.push(step{kind: keyStep, key: key})
			v, vok := d.anyValue(n.Content[i+1])
			d.pop()
			m[key] = v
			ok = ok && vok
		}
		return m, ok
	case SequenceNode:
		s := make([]any, len(n.Content))
		ok := true
		for i, c := range n.Content {
			d.push(step{kind: indexStep, index: i})
			v, vok := d.anyValue(c)
			d.pop()
			s[i] = v
			ok = ok && vok
		}
		return s, ok
	}
	v, err := scalarValue(n)
	if err != nil {
		d.fail(n, "%v", err)
		return nil, false
	}
	return v, true
}

func (d *decoder) sliceValue(n *Node, v reflect.Value) {
	if v.Type().Elem().Kind() == reflect.Uint8 && n.Kind == ScalarNode {
		d.fail(n, "base64 byte fields are not supported here")
		return
	}
	if n.Kind != SequenceNode {
		d.fail(n, "expected a list, got %s", describe(n))
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		d.push(step{kind: indexStep, index: i})
		d.value(item, s.Index(i))
		d.pop()
	}
	v.Set(s)
}

func (d *decoder) mapValue(n *Node, v reflect.Value) {
	if n.Kind != MappingNode {
		d.fail(n, "expected a mapping, got %s", describe(n))
		return
	}
	kt := v.Type().Key()
	if kt.Kind() != reflect.String {
		d.fail(n, "cannot decode into %s", v.Type())
		return
	}
	// a map made here from keys known distinct has no entry to decode
	// into: no lookup (which copies the entry out)
	fresh := v.IsNil() && keysDistinct(n.Content)
	if v.IsNil() {
		v.Set(reflect.MakeMapWithSize(v.Type(), len(n.Content)/2))
	}
	// one key and one element serve every entry: SetMapIndex copies them
	key, elem := reflect.New(kt).Elem(), reflect.New(v.Type().Elem()).Elem()
	for i := 0; i+1 < len(n.Content); i += 2 {
		key.SetString(n.Content[i].Value)
		elem.SetZero()
		if !fresh {
			if old := v.MapIndex(key); old.IsValid() {
				elem.Set(old)
			}
		}
		d.push(step{kind: keyStep, key: n.Content[i].Value})
		d.value(n.Content[i+1], elem)
		d.pop()
		v.SetMapIndex(key, elem)
	}
}

// keysDistinct reports whether the keys of a mapping's content (k0, v0,
// k1, ...) are distinct (the parser refuses duplicates, but a tree made
// otherwise may hold them).
func keysDistinct(content []*Node) bool {
	ascending := true
	for i := 2; i+1 < len(content); i += 2 {
		if content[i-2].Value >= content[i].Value {
			ascending = false
			break
		}
	}
	if ascending {
		return true
	}
	seen := make(map[string]bool, len(content)/2)
	for i := 0; i+1 < len(content); i += 2 {
		if seen[content[i].Value] {
			return false
		}
		seen[content[i].Value] = true
	}
	return true
}

func (d *decoder) structValue(n *Node, v reflect.Value) {
	if n.Kind != MappingNode {
		d.fail(n, "expected a mapping, got %s", describe(n))
		return
	}
	info := fieldsOf(v.Type())
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := n.Content[i], n.Content[i+1]
		f, ok := info.byName[kn.Value]
		d.push(step{kind: fieldStep, key: kn.Value})
		if !ok {
			hint, want := suggest(kn.Value, info.names)
			before := len(d.errs)
			d.fail(kn, "unknown field %q%s", kn.Value, hint)
			if len(d.errs) > before {
				d.errs[before].Want = want
			}
		} else if fv, ok := fieldByIndex(v, f.index); !ok {
			d.fail(kn, "cannot set field %q: it is inside an embedded pointer to an unexported struct type", kn.Value)
		} else {
			d.value(vn, fv)
		}
		d.pop()
	}
}

// fieldByIndex walks embedded structs, allocating nil embedded pointers.
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				if !v.CanSet() {
					return reflect.Value{}, false
				}
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

type fieldInfo struct {
	index []int
}

type structInfo struct {
	byName map[string]fieldInfo
	names  []string
}

var structCache sync.Map // reflect.Type -> *structInfo

// fieldsOf lists a struct's JSON fields as encoding/json sees them,
// including those promoted from embedded structs.
func fieldsOf(t reflect.Type) *structInfo {
	if c, ok := structCache.Load(t); ok {
		return c.(*structInfo)
	}
	info := &structInfo{byName: map[string]fieldInfo{}}
	depthOf := map[string]int{}
	var walk func(t reflect.Type, index []int)
	walk = func(t reflect.Type, index []int) {
		for i := range t.NumField() {
			sf := t.Field(i)
			tag := sf.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			idx := append(append([]int(nil), index...), i)
			ft := sf.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if sf.Anonymous && name == "" && ft.Kind() == reflect.Struct {
				walk(ft, idx)
				continue
			}
			if !sf.IsExported() {
				continue
			}
			if name == "" {
				name = sf.Name
			}
			if d, ok := depthOf[name]; ok && d <= len(idx) {
				continue // a shallower field wins, as in encoding/json
			}
			depthOf[name] = len(idx)
			info.byName[name] = fieldInfo{index: idx}
		}
	}
	walk(t, nil)
	for name := range info.byName {
		info.names = append(info.names, name)
	}
	sort.Strings(info.names)
	c, _ := structCache.LoadOrStore(t, info)
	return c.(*structInfo)
}

// suggest proposes the closest known field name, if one is close: the
// hint for the message and the name itself ("" when none is close).
func suggest(name string, known []string) (hint, want string) {
	if best := Closest(name, known); best != "" {
		return fmt.Sprintf("; did you mean %q?", best), best
	}
	if len(known) <= 12 {
		return "; known fields: " + strings.Join(known, ", "), ""
	}
	return "", ""
}

func levenshtein(a, b string) int {
	if a == b {
		return 0
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Closest returns the known name nearest to name (case-insensitive edit
// distance below 3, or any name differing only in case), or "" when none is
// close: the "did you mean" of field names, rule ids and the like.
func Closest(name string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if strings.EqualFold(k, name) {
			return k
		}
		if dist := levenshtein(strings.ToLower(name), strings.ToLower(k)); dist < bestDist {
			best, bestDist = k, dist
		}
	}
	return best
}
