package generator

import (
	"encoding"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
	"unsafe"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// typedToYAML writes after prefix the YAML that jsonToYAML writes for the
// JSON text encoding/json writes for obj, without that text: it builds
// jsonToYAML's node tree (jsonParser's nodes and kids) straight from the
// Go value, by reflection over a plan of each type made once (typePlan,
// encoding/json's rules: json tags, omitempty, omitzero, embedded
// structs, Marshaler and TextMarshaler), and hands it to the same
// emitter. encoding/json's text and jsonToYAML's reading of it were two
// thirds of Marshal's time and half of a render's allocations.
//
// Each string is a node as it is in the value: encoding/json's escapes
// read back as the same string, for valid UTF-8 (it writes other bytes as
// U+FFFD, which typedToYAML leaves to it). It reports false on anything
// it is not sure of (a type it does not plan, invalid UTF-8, a
// Marshaler's error or invalid JSON, a repeated key, nesting deeper than
// encoding/json follows without looking for cycles, or what the emitter
// refuses), and the caller then takes encoding/json and jsonToYAML.
// TestTypedYAMLMatchesJSONRoute and FuzzMarshal hold the two routes to
// the same bytes.
func typedToYAML(prefix string, obj any) ([]byte, bool) {
	var out []byte
	ok := typedYAML(prefix, obj, func(b []byte) {
		out = slices.Clone(b) // of the exact size: the scratch buffer is kept for the next
	})
	return out, ok
}

// typedYAML is typedToYAML handing the bytes to use, which must not keep
// them (they are a scratch buffer's, reused once use returns).
func typedYAML(prefix string, obj any, use func([]byte)) bool {
	v := reflect.ValueOf(obj)
	if !v.IsValid() {
		return false
	}
	p := parsers.Get().(*jsonParser)
	defer p.release()
	// the document: status, which Marshal leaves out, is not built when
	// it is zero (as a rendered object's is; one that is not is built, for
	// what encoding/json would refuse in it)
	pl, depth := planOf(v.Type()), 0
	for pl.kind == planPointer && !v.IsNil() {
		v, pl, depth = v.Elem(), pl.elem, depth+1
	}
	p.zeroStatus = pl.kind == planStruct
	root, ok := p.fromValue(v, pl, depth)
	if !ok || p.nodes[root].kind != '{' {
		return false
	}
	e := emitters.Get().(*emitter)
	defer func() {
		e.b = e.b[:0]
		emitters.Put(e)
	}()
	e.b = append(e.b[:0], prefix...)
	if !p.mapping(e, root, 0, false, "status", true) {
		return false
	}
	use(e.b)
	return true
}

// emitters keeps typedToYAML's output buffers for reuse.
var emitters = sync.Pool{New: func() any { return &emitter{b: make([]byte, 0, 4096)} }}

// maxTypedDepth is how deep typedToYAML follows a value: encoding/json
// starts looking for cycles past 1,000 levels of pointers, maps and
// slices, and such a value is left to it.
const maxTypedDepth = 500

// planKind says how a type is written.
type planKind uint8

const (
	planUnsupported   planKind = iota // left to encoding/json
	planMarshaler                     // json.Marshaler
	planAddrMarshaler                 // *T is a json.Marshaler: when addressable, else the rest of the plan
	planText                          // encoding.TextMarshaler
	planAddrText                      // *T is an encoding.TextMarshaler: when addressable
	planBool
	planInt
	planUint
	planFloat32
	planFloat64
	planString
	planInterface
	planStruct
	planMap
	planSlice
	planArray
	planPointer
	planDuration // metav1.Duration: its MarshalJSON's string, without JSON
	planTime     // metav1.Time: null when zero (its MarshalJSON's), else its MarshalJSON
)

// typePlan is how typedToYAML writes one type, encoding/json's encoder
// for it (newTypeEncoder).
type typePlan struct {
	kind planKind
	// orElse is the plan of a planAddrMarshaler or planAddrText type when
	// the value is not addressable
	orElse *typePlan
	elem   *typePlan // of a pointer, slice, array or map
	// fields of a struct, in the order jsonToYAML sorts an object's
	// members (sortMembers); nil with a kind of planUnsupported when that
	// order is not total on the names (a subset could then sort
	// differently) or two fields share a name
	fields []fieldPlan
	// mapStrings and mapAny mark map[string]string and map[string]any,
	// read without reflection
	mapStrings, mapAny bool
	stringKey          bool // a map's key kind is string (else an integer)
}

// fieldPlan is one field that encoding/json writes (its typeFields).
type fieldPlan struct {
	name      string
	index     []int
	omitEmpty bool
	omitZero  bool
	plainKey  bool                     // name is what mapping writes as it is (jsonMember.plain)
	isZero    func(reflect.Value) bool // the field's IsZero method, for omitzero
	plan      *typePlan
	// empty tells from the memory of an addressable struct whether an
	// omitempty field of its own (not an embedded struct's) is empty,
	// without reflect's Field (most of a Terraform's fields are):
	// emptyValue's answer, or emptyAsk where reflect must be asked
	empty  emptyTest
	offset uintptr // the field's, when empty is not emptyUnknown
}

// emptyTest is how fromStruct tells an omitempty field is empty from
// the struct's memory (fieldPlan.empty).
type emptyTest uint8

const (
	emptyUnknown emptyTest = iota // ask reflect (emptyValue)
	emptyLen                      // a string or slice: its length word is 0
	emptyNilMap                   // a map: nil is empty, any other is asked of reflect
	emptyWord1                    // a bool, integer or pointer: every byte is 0
	emptyWord2
	emptyWord4
	emptyWord8
	emptyIface // an interface: its type word is nil
)

// emptyTestOf is the emptyTest of an omitempty field of type t.
func emptyTestOf(t reflect.Type) emptyTest {
	switch t.Kind() {
	case reflect.String, reflect.Slice:
		return emptyLen
	case reflect.Map:
		return emptyNilMap
	case reflect.Interface:
		return emptyIface
	case reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Pointer:
		// (not a float: its negative zero is empty too)
		switch t.Size() {
		case 1:
			return emptyWord1
		case 2:
			return emptyWord2
		case 4:
			return emptyWord4
		case 8:
			return emptyWord8
		}
	}
	return emptyUnknown
}

// isEmpty reports whether the field of f in the struct at base is
// empty (true), not (false), or must be asked of reflect (ask).
func (f *fieldPlan) isEmpty(base unsafe.Pointer) (empty, ask bool) {
	at := unsafe.Add(base, f.offset)
	switch f.empty {
	case emptyLen:
		return *(*int)(unsafe.Add(at, unsafe.Sizeof(uintptr(0)))) == 0, false
	case emptyNilMap:
		if *(*unsafe.Pointer)(at) == nil {
			return true, false
		}
	case emptyWord1:
		return *(*uint8)(at) == 0, false
	case emptyWord2:
		return *(*uint16)(at) == 0, false
	case emptyWord4:
		return *(*uint32)(at) == 0, false
	case emptyWord8:
		return *(*uint64)(at) == 0, false
	case emptyIface:
		return *(*unsafe.Pointer)(at) == nil, false
	}
	return false, true
}

var (
	planMu sync.Mutex
	plans  sync.Map // reflect.Type → *typePlan, complete

	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	isZeroerType      = reflect.TypeFor[interface{ IsZero() bool }]()
	numberType        = reflect.TypeFor[json.Number]()
	durationType      = reflect.TypeFor[metav1.Duration]()
	timeType          = reflect.TypeFor[metav1.Time]()
)

// planOf returns the plan of t, making it (and those of the types it
// holds) the first time.
func planOf(t reflect.Type) *typePlan {
	if p, ok := plans.Load(t); ok {
		return p.(*typePlan)
	}
	planMu.Lock()
	defer planMu.Unlock()
	making := map[reflect.Type]*typePlan{}
	p := makePlan(t, true, making)
	for t, p := range making {
		plans.Store(t, p)
	}
	return p
}

// makePlan makes the plan of t under planMu; making holds the plans
// being made, so that a recursive type refers to its own.
func makePlan(t reflect.Type, allowAddr bool, making map[reflect.Type]*typePlan) *typePlan {
	if allowAddr {
		if p, ok := plans.Load(t); ok {
			return p.(*typePlan)
		}
		if p := making[t]; p != nil {
			return p
		}
	}
	p := &typePlan{}
	if allowAddr {
		making[t] = p
	}
	// Kubernetes' durations and times (every object has both), written
	// as their MarshalJSON writes them, with less work
	switch {
	case t == durationType:
		p.kind = planDuration
		return p
	case t == timeType:
		p.kind = planTime
		return p
	case t.Kind() == reflect.Pointer && (t.Elem() == durationType || t.Elem() == timeType):
		p.kind, p.elem = planPointer, makePlan(t.Elem(), true, making) // nil: null, as encoding/json writes a nil Marshaler
		return p
	}
	switch {
	case t.Kind() != reflect.Pointer && allowAddr && reflect.PointerTo(t).Implements(marshalerType):
		p.kind, p.orElse = planAddrMarshaler, makePlan(t, false, making)
		return p
	case t.Implements(marshalerType):
		p.kind = planMarshaler
		return p
	case t.Kind() != reflect.Pointer && allowAddr && reflect.PointerTo(t).Implements(textMarshalerType):
		p.kind, p.orElse = planAddrText, makePlan(t, false, making)
		return p
	case t.Implements(textMarshalerType):
		p.kind = planText
		return p
	}
	switch t.Kind() {
	case reflect.Bool:
		p.kind = planBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		p.kind = planInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		p.kind = planUint
	case reflect.Float32:
		p.kind = planFloat32
	case reflect.Float64:
		p.kind = planFloat64
	case reflect.String:
		if t != numberType {
			p.kind = planString
		}
	case reflect.Interface:
		p.kind = planInterface
	case reflect.Struct:
		if fields, ok := structPlan(t, making); ok {
			p.kind, p.fields = planStruct, fields
		}
	case reflect.Map:
		switch t.Key().Kind() {
		case reflect.String:
			p.stringKey = true
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		default:
			return p // TextMarshaler keys: left to encoding/json
		}
		if t.Key().Kind() != reflect.String && t.Key().Implements(textMarshalerType) {
			return p // encoding/json takes the text for non-string keys
		}
		p.kind, p.elem = planMap, makePlan(t.Elem(), true, making)
		p.mapStrings = t == reflect.TypeFor[map[string]string]()
		p.mapAny = t == reflect.TypeFor[map[string]any]()
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			ep := reflect.PointerTo(t.Elem())
			if !ep.Implements(marshalerType) && !ep.Implements(textMarshalerType) {
				return p // base64: left to encoding/json
			}
		}
		p.kind, p.elem = planSlice, makePlan(t.Elem(), true, making)
	case reflect.Array:
		p.kind, p.elem = planArray, makePlan(t.Elem(), true, making)
	case reflect.Pointer:
		p.kind, p.elem = planPointer, makePlan(t.Elem(), true, making)
	}
	return p
}

// structPlan is encoding/json's typeFields for the structs whose field
// names are all different: ok is false when two fields share a name
// (encoding/json's dominance rules are left to it) or when keyLess does
// not order the names totally.
func structPlan(t reflect.Type, making map[reflect.Type]*typePlan) ([]fieldPlan, bool) {
	type level struct {
		t     reflect.Type
		index []int
	}
	var fields []fieldPlan
	visited := map[reflect.Type]bool{}
	next := []level{{t: t}}
	for len(next) > 0 {
		current := next
		next = nil
		count := map[reflect.Type]int{}
		for _, f := range current {
			if visited[f.t] {
				continue
			}
			visited[f.t] = true
			for i := range f.t.NumField() {
				sf := f.t.Field(i)
				if sf.Anonymous {
					et := sf.Type
					if et.Kind() == reflect.Pointer {
						et = et.Elem()
					}
					if !sf.IsExported() && et.Kind() != reflect.Struct {
						continue
					}
				} else if !sf.IsExported() {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				if !validTag(name) {
					name = ""
				}
				index := append(append([]int(nil), f.index...), i)
				ft := sf.Type
				if ft.Name() == "" && ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if tagOption(opts, "string") {
					return nil, false // quoted values: left to encoding/json
				}
				if name != "" || !sf.Anonymous || ft.Kind() != reflect.Struct {
					if name == "" {
						name = sf.Name
					}
					fp := fieldPlan{
						name:      name,
						index:     index,
						omitEmpty: tagOption(opts, "omitempty"),
						omitZero:  tagOption(opts, "omitzero"),
						plainKey:  len(name) <= 128 && stringStyle(name) == stylePlain,
					}
					if fp.omitZero {
						fp.isZero = zeroFunc(sf.Type)
					}
					if fp.omitEmpty && len(index) == 1 {
						fp.empty, fp.offset = emptyTestOf(sf.Type), sf.Offset
					}
					fp.plan = makePlan(sf.Type, true, making)
					fields = append(fields, fp)
					continue
				}
				count[ft]++
				if count[ft] == 1 {
					next = append(next, level{t: ft, index: index})
				} else {
					return nil, false // the same struct embedded twice at one depth
				}
			}
		}
	}
	// byte order, then keyLess stably, as sortMembers orders an object's
	// members; the plan keeps that order only when it is total on the
	// names, so that the fields a value omits leave the others in order
	slices.SortFunc(fields, func(a, b fieldPlan) int { return strings.Compare(a.name, b.name) })
	for i := 1; i < len(fields); i++ {
		if fields[i-1].name == fields[i].name {
			return nil, false
		}
	}
	slices.SortStableFunc(fields, func(a, b fieldPlan) int {
		switch {
		case keyLess(a.name, b.name):
			return -1
		case keyLess(b.name, a.name):
			return 1
		}
		return 0
	})
	for i := range fields {
		for j := i + 1; j < len(fields); j++ {
			if !keyLess(fields[i].name, fields[j].name) || keyLess(fields[j].name, fields[i].name) {
				return nil, false
			}
		}
	}
	return fields, true
}

// validTag is encoding/json's isValidTag.
func validTag(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

// tagOption reports whether a json tag's options (after the name) hold
// name.
func tagOption(opts, name string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == name {
			return true
		}
	}
	return false
}

// zeroFunc is encoding/json's test for omitzero of a field of type t:
// its IsZero method, or nil for reflect's IsZero.
func zeroFunc(t reflect.Type) func(reflect.Value) bool {
	switch {
	case t.Kind() == reflect.Interface && t.Implements(isZeroerType):
		return func(v reflect.Value) bool {
			return v.IsNil() ||
				(v.Elem().Kind() == reflect.Pointer && v.Elem().IsNil()) ||
				v.Interface().(interface{ IsZero() bool }).IsZero()
		}
	case t.Kind() == reflect.Pointer && t.Implements(isZeroerType):
		return func(v reflect.Value) bool {
			return v.IsNil() || v.Interface().(interface{ IsZero() bool }).IsZero()
		}
	case t.Implements(isZeroerType):
		return func(v reflect.Value) bool {
			return v.Interface().(interface{ IsZero() bool }).IsZero()
		}
	case reflect.PointerTo(t).Implements(isZeroerType):
		return func(v reflect.Value) bool {
			if !v.CanAddr() {
				v2 := reflect.New(v.Type()).Elem()
				v2.Set(v)
				v = v2
			}
			return v.Addr().Interface().(interface{ IsZero() bool }).IsZero()
		}
	}
	return nil
}

// emptyValue is encoding/json's isEmptyValue (omitempty).
func emptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64,
		reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// fromValue adds the node of v, whose type's plan is pl, nested depth
// levels deep.
func (p *jsonParser) fromValue(v reflect.Value, pl *typePlan, depth int) (int32, bool) {
	if depth > maxTypedDepth {
		return 0, false
	}
	switch pl.kind {
	case planAddrMarshaler:
		if v.CanAddr() {
			return p.marshaled(v.Addr())
		}
		return p.fromValue(v, pl.orElse, depth)
	case planMarshaler:
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return p.add(jsonNode{kind: 'n'})
		}
		return p.marshaled(v)
	case planAddrText:
		if v.CanAddr() {
			return p.textMarshaled(v.Addr())
		}
		return p.fromValue(v, pl.orElse, depth)
	case planText:
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return p.add(jsonNode{kind: 'n'})
		}
		return p.textMarshaled(v)
	case planDuration:
		return p.str(time.Duration(v.Field(0).Int()).String())
	case planTime:
		var zero bool
		if v.CanAddr() && v.Addr().CanInterface() {
			zero = v.Addr().Interface().(*metav1.Time).IsZero()
		} else if v.CanInterface() {
			t := v.Interface().(metav1.Time)
			zero = t.IsZero()
		} else {
			return 0, false
		}
		if zero {
			return p.add(jsonNode{kind: 'n'})
		}
		return p.marshaled(v)
	case planBool:
		if v.Bool() {
			return p.add(jsonNode{kind: 't'})
		}
		return p.add(jsonNode{kind: 'f'})
	case planInt:
		return p.add(jsonNode{kind: '0', text: strconv.FormatInt(v.Int(), 10)})
	case planUint:
		return p.add(jsonNode{kind: '0', text: strconv.FormatUint(v.Uint(), 10)})
	case planFloat32:
		return p.float(v.Float(), 32)
	case planFloat64:
		return p.float(v.Float(), 64)
	case planString:
		return p.str(v.String())
	case planInterface:
		if v.IsNil() {
			return p.add(jsonNode{kind: 'n'})
		}
		if v.CanInterface() {
			return p.fromInterface(v.Interface(), depth)
		}
		return p.fromAny(v.Elem(), depth)
	case planPointer:
		if v.IsNil() {
			return p.add(jsonNode{kind: 'n'})
		}
		return p.fromValue(v.Elem(), pl.elem, depth+1)
	case planStruct:
		return p.fromStruct(v, pl, depth)
	case planMap:
		if v.IsNil() {
			return p.add(jsonNode{kind: 'n'})
		}
		switch {
		case !v.CanInterface():
		case pl.mapStrings:
			return p.fromStrings(v.Interface().(map[string]string))
		case pl.mapAny:
			return p.fromMapAny(v.Interface().(map[string]any), depth+1)
		}
		return p.fromMap(v, pl, depth+1)
	case planSlice:
		if v.IsNil() {
			return p.add(jsonNode{kind: 'n'})
		}
		return p.fromList(v, pl, depth+1)
	case planArray:
		return p.fromList(v, pl, depth)
	}
	return 0, false
}

// fromAny adds the node of v, an interface's value: the common dynamic
// types without looking up a plan.
func (p *jsonParser) fromAny(v reflect.Value, depth int) (int32, bool) {
	switch v.Kind() {
	case reflect.String:
		if v.Type() == reflect.TypeFor[string]() {
			return p.str(v.String())
		}
	case reflect.Bool:
		if v.Type() == reflect.TypeFor[bool]() {
			return p.fromValue(v, &boolPlan, depth)
		}
	case reflect.Int:
		if v.Type() == reflect.TypeFor[int]() {
			return p.add(jsonNode{kind: '0', text: strconv.FormatInt(v.Int(), 10)})
		}
	}
	return p.fromValue(v, planOf(v.Type()), depth)
}

var boolPlan = typePlan{kind: planBool}

// fromInterface adds the node of x, the value of a map[string]any or an
// []any: YAML's and JSON's types without reflection.
func (p *jsonParser) fromInterface(x any, depth int) (int32, bool) {
	switch y := x.(type) {
	case nil:
		return p.add(jsonNode{kind: 'n'})
	case string:
		return p.str(y)
	case bool:
		if y {
			return p.add(jsonNode{kind: 't'})
		}
		return p.add(jsonNode{kind: 'f'})
	case int:
		return p.add(jsonNode{kind: '0', text: strconv.Itoa(y)})
	case map[string]any:
		if y == nil {
			return p.add(jsonNode{kind: 'n'})
		}
		return p.fromMapAny(y, depth+1)
	case []any:
		if y == nil {
			return p.add(jsonNode{kind: 'n'})
		}
		if depth+1 > maxTypedDepth {
			return 0, false
		}
		start := len(p.stack)
		for _, e := range y {
			n, ok := p.fromInterface(e, depth+1)
			if !ok {
				return 0, false
			}
			p.stack = append(p.stack, jsonMember{node: n})
		}
		return p.close('[', start)
	}
	return p.fromAny(reflect.ValueOf(x), depth)
}

// str adds a string node, refusing invalid UTF-8 (which encoding/json
// would write as U+FFFD).
func (p *jsonParser) str(s string) (int32, bool) {
	if !utf8.ValidString(s) {
		return 0, false
	}
	return p.add(jsonNode{kind: '"', text: s})
}

// float adds the number encoding/json writes for f (floatEncoder);
// infinities and NaN, which it refuses, are left to it.
func (p *jsonParser) float(f float64, bits int) (int32, bool) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	b := strconv.AppendFloat(make([]byte, 0, 24), f, format, -1, bits)
	if format == 'e' {
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return p.add(jsonNode{kind: '0', text: string(b)})
}

// marshaled adds the node of a json.Marshaler's output, read as
// jsonToYAML reads encoding/json's text; invalid JSON (an error from
// encoding/json) is left to encoding/json.
func (p *jsonParser) marshaled(v reflect.Value) (int32, bool) {
	if !v.CanInterface() {
		return 0, false
	}
	m, ok := reflect.TypeAssert[json.Marshaler](v)
	if !ok {
		return 0, false
	}
	b, err := m.MarshalJSON()
	if err != nil {
		return 0, false
	}
	return p.embedded(string(b))
}

// embedded adds the node of the JSON text s, read by the parser's own
// reader (value) strictly: what it reads is valid JSON (json.Valid),
// which encoding/json requires of a Marshaler. The reader then goes back
// to where it was.
func (p *jsonParser) embedded(s string) (int32, bool) {
	text, pos := p.text, p.pos
	p.text, p.pos, p.strict, p.depth = s, 0, true, 0
	n, ok := p.value()
	if ok {
		p.space()
		ok = p.pos == len(p.text)
	}
	p.text, p.pos, p.strict = text, pos, false
	return n, ok
}

// textMarshaled adds the string of an encoding.TextMarshaler.
func (p *jsonParser) textMarshaled(v reflect.Value) (int32, bool) {
	if !v.CanInterface() {
		return 0, false
	}
	m, ok := reflect.TypeAssert[encoding.TextMarshaler](v)
	if !ok {
		return 0, false
	}
	b, err := m.MarshalText()
	if err != nil {
		return 0, false
	}
	return p.str(string(b))
}

// fromStruct adds the object of struct v: its fields that encoding/json
// writes, already in jsonToYAML's order.
func (p *jsonParser) fromStruct(v reflect.Value, pl *typePlan, depth int) (int32, bool) {
	start := len(p.stack)
	root := p.zeroStatus // the document's own struct
	p.zeroStatus = false
	var base unsafe.Pointer // v's memory, when addressable
	if v.CanAddr() {
		base = v.Addr().UnsafePointer()
	}
fields:
	for i := range pl.fields {
		f := &pl.fields[i]
		if base != nil && f.empty != emptyUnknown {
			if empty, ask := f.isEmpty(base); empty && !f.omitZero {
				continue
			} else if !ask && !empty && !f.omitZero {
				fv := v.Field(f.index[0])
				n, ok := p.fromValue(fv, f.plan, depth+1)
				if !ok {
					return 0, false
				}
				p.stack = append(p.stack, jsonMember{key: f.name, node: n, plain: f.plainKey})
				continue
			}
		}
		fv := v
		for _, x := range f.index {
			if fv.Kind() == reflect.Pointer {
				if fv.IsNil() {
					continue fields
				}
				fv = fv.Elem()
			}
			fv = fv.Field(x)
		}
		if f.omitEmpty && emptyValue(fv) ||
			f.omitZero && (f.isZero == nil && fv.IsZero() || f.isZero != nil && f.isZero(fv)) {
			continue
		}
		if root && f.name == "status" && fv.IsZero() {
			continue
		}
		n, ok := p.fromValue(fv, f.plan, depth+1)
		if !ok {
			return 0, false
		}
		p.stack = append(p.stack, jsonMember{key: f.name, node: n, plain: f.plainKey})
	}
	return p.close('{', start)
}

// fromStrings adds the object of a map[string]string.
func (p *jsonParser) fromStrings(m map[string]string) (int32, bool) {
	start := len(p.stack)
	for k, s := range m {
		if !utf8.ValidString(k) {
			return 0, false
		}
		n, ok := p.str(s)
		if !ok {
			return 0, false
		}
		p.stack = append(p.stack, jsonMember{key: k, node: n})
	}
	return p.closeObject(start)
}

// fromMapAny adds the object of a map[string]any.
func (p *jsonParser) fromMapAny(m map[string]any, depth int) (int32, bool) {
	if depth > maxTypedDepth {
		return 0, false
	}
	start := len(p.stack)
	for k, x := range m {
		if !utf8.ValidString(k) {
			return 0, false
		}
		n, ok := p.fromInterface(x, depth)
		if !ok {
			return 0, false
		}
		p.stack = append(p.stack, jsonMember{key: k, node: n})
	}
	return p.closeObject(start)
}

// fromMap adds the object of any other map with string or integer keys.
func (p *jsonParser) fromMap(v reflect.Value, pl *typePlan, depth int) (int32, bool) {
	start := len(p.stack)
	it := v.MapRange()
	for it.Next() {
		k := it.Key()
		var key string
		switch {
		case pl.stringKey:
			key = k.String()
			if !utf8.ValidString(key) {
				return 0, false
			}
		case k.CanInt():
			key = strconv.FormatInt(k.Int(), 10)
		default:
			key = strconv.FormatUint(k.Uint(), 10)
		}
		n, ok := p.fromValue(it.Value(), pl.elem, depth)
		if !ok {
			return 0, false
		}
		p.stack = append(p.stack, jsonMember{key: key, node: n})
	}
	return p.closeObject(start)
}

// closeObject sorts the members read since start as jsonToYAML does and
// makes them an object.
func (p *jsonParser) closeObject(start int) (int32, bool) {
	if !p.sortMembers(p.stack[start:]) {
		return 0, false
	}
	return p.close('{', start)
}

// fromList adds the array of a slice or an array.
func (p *jsonParser) fromList(v reflect.Value, pl *typePlan, depth int) (int32, bool) {
	start := len(p.stack)
	for i := range v.Len() {
		n, ok := p.fromValue(v.Index(i), pl.elem, depth)
		if !ok {
			return 0, false
		}
		p.stack = append(p.stack, jsonMember{node: n})
	}
	return p.close('[', start)
}
