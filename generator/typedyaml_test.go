package generator

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	kustypes "sigs.k8s.io/kustomize/api/types"
)

// jsonRoute is Marshal's route before typedToYAML: encoding/json's text
// written as YAML by jsonToYAML, or go-yaml's encoder where that refuses.
func jsonRoute(t testing.TB, obj any) []byte {
	t.Helper()
	raw, err := json.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	if out, ok := jsonToYAML(Header, raw, 0); ok {
		return out
	}
	out, err := marshal(obj, false)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestTypedYAMLMatchesJSONRoute renders the examples and a synthetic
// fleet and writes every object both from the typed value (typedToYAML)
// and through encoding/json's text (jsonToYAML): the same bytes, and the
// typed route takes every object.
func TestTypedYAMLMatchesJSONRoute(t *testing.T) {
	t.Parallel()
	n := 0
	for _, o := range examplesAndFleet(t, 100, 5) {
		objs := o.Object
		var kus []string
		for _, obj := range objs {
			kus = append(kus, obj.Path)
		}
		// the environment's kustomization.yaml, as buildOne writes it
		objs = append(objs, Object{Path: KustomizationFile, Object: &kustypes.Kustomization{
			TypeMeta:  kustypes.TypeMeta{APIVersion: kustypes.KustomizationVersion, Kind: kustypes.KustomizationKind},
			Resources: kus,
		}})
		for _, obj := range objs {
			got, ok := typedToYAML(Header, obj.Object)
			if !ok {
				t.Fatalf("%s: typedToYAML left it to encoding/json", obj.Path)
			}
			if want := jsonRoute(t, obj.Object); !bytes.Equal(got, want) {
				t.Fatalf("%s: typedToYAML differs from the JSON route:\n%s\nwant:\n%s", obj.Path, got, want)
			}
			n++
		}
	}
	if n < 500 {
		t.Fatalf("only %d objects compared", n)
	}
}

// typedText is a TextMarshaler with a value receiver.
type typedText struct{ s string }

func (t typedText) MarshalText() ([]byte, error) { return []byte("text-" + t.s), nil }

// typedPtrJSON is a Marshaler with a pointer receiver: encoding/json
// calls it only where the value is addressable.
type typedPtrJSON struct{ N int }

func (t *typedPtrJSON) MarshalJSON() ([]byte, error) {
	return []byte(`{"n": ` + strconv.Itoa(t.N) + `, "s": "\u0061b"}`), nil
}

// typedBadJSON writes invalid JSON: encoding/json's error.
type typedBadJSON struct{}

func (typedBadJSON) MarshalJSON() ([]byte, error) { return []byte(`{"a":`), nil }

// typedZero has an IsZero method on its pointer, for omitzero.
type typedZero struct{ V int }

func (z *typedZero) IsZero() bool { return z.V == 7 }

type typedInner struct {
	Inner  string `json:"inner,omitempty"`
	Shared string `json:"shared2"`
}

type typedPtrInner struct {
	Deep int `json:"deep"`
}

type typedObject struct {
	metav1.TypeMeta `json:",inline"`
	typedInner
	*typedPtrInner
	Meta       metav1.ObjectMeta            `json:"metadata,omitempty"`
	Skip       string                       `json:"-"`
	Dash       string                       `json:"-,omitempty"` //nolint:staticcheck // a field named "-", as encoding/json reads this tag
	unexported string                       //nolint:unused // encoding/json leaves it out
	NoTag      string                       // named by the field
	BadTag     string                       `json:"a\\b"` //nolint:staticcheck // an invalid name: encoding/json names the field
	Empty      string                       `json:"empty,omitempty"`
	Zero       typedZero                    `json:"zero,omitzero"`
	ZeroPtr    *typedZero                   `json:"zeroPtr,omitzero"`
	ZeroTime   metav1.Time                  `json:"zeroTime,omitzero"`
	Float      float64                      `json:"float"`
	Float32    float32                      `json:"float32"`
	Big        float64                      `json:"big"`
	Small      float64                      `json:"small"`
	Uint       uint64                       `json:"uint"`
	Int8       int8                         `json:"int8"`
	Text       typedText                    `json:"text"`
	TextPtr    *typedText                   `json:"textPtr"`
	PtrJSON    typedPtrJSON                 `json:"ptrJSON"`
	PtrJSONs   []typedPtrJSON               `json:"ptrJSONs"`
	PtrJSONMap map[string]typedPtrJSON      `json:"ptrJSONMap"`
	IntKeys    map[int]string               `json:"intKeys"`
	UintKeys   map[uint8]bool               `json:"uintKeys"`
	Any        any                          `json:"any"`
	AnyList    []any                        `json:"anyList"`
	NilMap     map[string]string            `json:"nilMap"`
	NilSlice   []string                     `json:"nilSlice"`
	EmptyList  []string                     `json:"emptyList"`
	Array      [2]string                    `json:"array"`
	Duration   metav1.Duration              `json:"duration"`
	DurPtr     *metav1.Duration             `json:"durPtr"`
	NilDur     *metav1.Duration             `json:"nilDur"`
	Time       metav1.Time                  `json:"time"`
	TimePtr    *metav1.Time                 `json:"timePtr"`
	NilTime    *metav1.Time                 `json:"nilTime"`
	Quantity   resource.Quantity            `json:"quantity"`
	Resources  corev1.ResourceList          `json:"resources"`
	IntOrStr   intstr.IntOrString           `json:"intOrStr"`
	Raw        *apiextensionsv1.JSON        `json:"raw"`
	Nested     map[string]map[string][]bool `json:"nested"`
	Status     map[string]any               `json:"status"`
}

// TestTypedYAMLTypes writes values of every kind typedToYAML plans
// (embedded structs, tags, omitempty and omitzero, marshalers in and out
// of addressable places, map keys, floats, Kubernetes' durations, times
// and quantities) and compares them with the JSON route; and values it
// leaves to encoding/json, which must then be refused.
func TestTypedYAMLTypes(t *testing.T) {
	t.Parallel()
	when := metav1.NewTime(time.Date(2026, 12, 6, 23, 59, 1, 5, time.FixedZone("x", 3600)))
	full := &typedObject{
		TypeMeta:      metav1.TypeMeta{APIVersion: "v1", Kind: "Thing"},
		typedInner:    typedInner{Inner: "in", Shared: "s"},
		typedPtrInner: &typedPtrInner{Deep: 3},
		Meta:          metav1.ObjectMeta{Name: "n", Labels: map[string]string{"b": "1", "a": "yes", "a10": "x", "a9": "y"}, CreationTimestamp: when},
		Skip:          "no", Dash: "dash", NoTag: "notag", BadTag: "bad",
		Zero: typedZero{V: 7}, ZeroPtr: &typedZero{V: 1},
		Float: 1.5, Float32: 0.1, Big: 1e21, Small: 1e-7, Uint: 18446744073709551615, Int8: -8,
		Text: typedText{"a"}, TextPtr: &typedText{"b"},
		PtrJSON: typedPtrJSON{N: 1}, PtrJSONs: []typedPtrJSON{{N: 2}}, PtrJSONMap: map[string]typedPtrJSON{"k": {N: 3}},
		IntKeys: map[int]string{-1: "m", 10: "t", 9: "n"}, UintKeys: map[uint8]bool{2: true},
		Any:       map[string]any{"x": []any{1, "2", 3.5, nil, true, map[string]any{}}, "y": int64(5), "z": []string{"q"}},
		AnyList:   []any{typedPtrJSON{N: 4}, &typedPtrJSON{N: 5}, typedText{"c"}, uint(6), float32(2.5)},
		EmptyList: []string{}, Array: [2]string{"p", "0o-5x"},
		Duration: metav1.Duration{Duration: 90 * time.Second}, DurPtr: &metav1.Duration{Duration: time.Hour},
		Time: when, TimePtr: &when,
		Quantity:  resource.MustParse("1500m"),
		Resources: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("250m"), corev1.ResourceMemory: resource.MustParse("1Gi")},
		IntOrStr:  intstr.FromString("fifty"),
		Raw:       &apiextensionsv1.JSON{Raw: []byte(` {"a": [1, 2.5e3, "x\u0079"], "b": {}} `)},
		Nested:    map[string]map[string][]bool{"o": {"i": {true, false}}, "e": nil},
		Status:    map[string]any{"ready": true},
	}
	for name, obj := range map[string]any{
		"full":     full,
		"zero":     &typedObject{},
		"by value": *full, // nothing addressable: the pointer Marshaler is not called
		"map":      map[string]any{"kind": "X", "spec": full, "status": nil},
	} {
		// the trees, whether the emitter takes them or not
		raw, err := json.Marshal(obj)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := typedTree(obj)
		if !ok {
			t.Fatalf("%s: typedToYAML refused it", name)
		}
		if want := jsonTree(t, raw); got != want {
			t.Fatalf("%s: the typed tree differs from encoding/json's:\n%s\nwant:\n%s", name, got, want)
		}
	}
	// and the YAML, with what the emitter refuses (a key "-", "", dates,
	// "0o-5x") left out
	full.Dash, full.Shared, full.Array[1] = "", "x", "q"
	full.Meta.CreationTimestamp, full.Time, full.TimePtr = metav1.Time{}, metav1.Time{}, nil
	full.IntKeys = map[int]string{1: "m", 10: "t", 9: "n"}
	for name, obj := range map[string]any{"full": full, "by value": *full, "map": map[string]any{"kind": "X", "spec": full}} {
		got, ok := typedToYAML(Header, obj)
		if !ok {
			t.Fatalf("%s: typedToYAML refused it", name)
		}
		if got2, _ := Marshal(obj); !bytes.Equal(got, got2) {
			t.Fatalf("%s: Marshal does not take typedToYAML", name)
		}
		if want := jsonRoute(t, obj); !bytes.Equal(got, want) {
			t.Fatalf("%s: typedToYAML differs from the JSON route:\n%s\nwant:\n%s", name, got, want)
		}
	}
	type collide struct {
		typedInner
		Shared string `json:"shared2"`
	}
	type quoted struct {
		N int `json:"n,string"`
	}
	for name, obj := range map[string]any{
		"invalid UTF-8":            map[string]any{"k": "a\xffb"},
		"invalid UTF-8 key":        map[string]any{"a\xff": 1},
		"NaN":                      map[string]any{"k": math.NaN()},
		"number":                   map[string]any{"k": json.Number("1")},
		"bytes":                    map[string]any{"k": []byte("x")},
		"bad Marshaler":            map[string]any{"k": typedBadJSON{}},
		"a channel":                map[string]any{"k": make(chan int)},
		"fields sharing names":     &collide{},
		"string option":            &quoted{N: 1},
		"not a mapping":            []any{1},
		"nil":                      nil,
		"what the emitter refuses": map[string]any{"k": "50%", "l": "x\u2028y", "": "-"},
	} {
		if out, ok := typedToYAML(Header, obj); ok {
			t.Errorf("%s: typedToYAML wrote it:\n%s", name, out)
		}
	}
}

// typedTree is the node tree typedToYAML builds for obj, as dumpTree
// writes it.
func typedTree(obj any) (string, bool) {
	p := parsers.Get().(*jsonParser)
	defer p.release()
	v := reflect.ValueOf(obj)
	root, ok := p.fromValue(v, planOf(v.Type()), 0)
	if !ok {
		return "", false
	}
	var b strings.Builder
	p.dumpTree(&b, root)
	return b.String(), true
}

// jsonTree is the node tree jsonToYAML reads from raw.
func jsonTree(t *testing.T, raw []byte) string {
	t.Helper()
	p := parsers.Get().(*jsonParser)
	defer p.release()
	p.text = string(raw)
	root, ok := p.value()
	if !ok {
		t.Fatalf("jsonToYAML's reader refuses %s", raw)
	}
	var b strings.Builder
	p.dumpTree(&b, root)
	return b.String()
}

// dumpTree writes node n and its members, in order.
func (p *jsonParser) dumpTree(b *strings.Builder, n int32) {
	node := p.nodes[n]
	b.WriteByte(node.kind)
	switch node.kind {
	case '{', '[':
		for _, m := range p.kids[node.first : node.first+node.n] {
			if node.kind == '{' {
				fmt.Fprintf(b, " %q:", m.key)
			}
			p.dumpTree(b, m.node)
		}
		b.WriteString(" end\n")
	default:
		fmt.Fprintf(b, "%q ", node.text)
	}
}

// TestBuildSumsAreTheContents: Build with SumsOnly hashes the files in
// the emitter's buffer (marshalSum); the sums are those of the content
// Build writes otherwise, also for what the typed route leaves to
// encoding/json.
func TestBuildSumsAreTheContents(t *testing.T) {
	t.Parallel()
	lo := LoadOptions{SpecsDir: filepath.Join("..", "fixtures", "environments")}
	files, err := Build(Options{LoadOptions: lo, All: true, FilesOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	sums, err := Build(Options{LoadOptions: lo, All: true, SumsOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i, o := range files {
		for j, f := range o.Files {
			s := sums[i].Files[j]
			if s.Path != f.Path || s.Data != nil || s.Sum != sha256.Sum256(f.Data) {
				t.Fatalf("%s: SumsOnly gives %s, %d bytes, sum %x; want the sum of the content, %x", f.Path, s.Path, len(s.Data), s.Sum, sha256.Sum256(f.Data))
			}
			n++
		}
	}
	if n < 20 {
		t.Fatalf("only %d files compared", n)
	}
	refused := map[string]any{"kind": "X", "spec": map[string]any{"k": "50%"}}
	data, err := Marshal(refused)
	if err != nil {
		t.Fatal(err)
	}
	if sum, err := marshalSum(refused); err != nil || sum != sha256.Sum256(data) {
		t.Fatalf("marshalSum of what the typed route refuses: %x, %v; want %x", sum, err, sha256.Sum256(data))
	}
}

// FuzzKeyLess holds keyLess (its ASCII path) to go-yaml v2's order on
// runes.
func FuzzKeyLess(f *testing.F) {
	for _, s := range [][2]string{
		{"a10", "a9"}, {"a09", "a9"}, {"70B111", "7b0810C"}, {"8A0280", ")9710"}, {"subnet_10", "subnet_9"},
		{"a", "A"}, {"a1", "a_"}, {"", "x"}, {"x0", "x00"}, {"10", "010"}, {"1.2", "1.10"}, {"é", "e"},
		{"99999999999999999999", "100000000000000000000"}, {"a-b", "a.b"}, {"Z", "_"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if got, want := keyLess(a, b), keyLessRunes(a, b); got != want {
			t.Fatalf("keyLess(%q, %q) = %v, go-yaml's order says %v", a, b, got, want)
		}
	})
}

// FuzzEmbeddedJSON: what typedToYAML reads of a Marshaler's output
// (jsonParser.embedded, strictly) is valid JSON to encoding/json, which
// refuses the rest; json.Valid is not asked again.
func FuzzEmbeddedJSON(f *testing.F) {
	for _, s := range []string{`{"a": [1, 2.5e3, "x"], "b": {}}`, `1.`, `01`, `-`, `1e`, `1e+`, `-0.5E-3`, `[1,]`, `{"a":1,}`,
		`"\u00zz"`, `"\ud800"`, "\"\xff\"", `truex`, `[true false]`, ` null `, strings.Repeat("[", 1100) + strings.Repeat("]", 1100), `{"a":1,"a":2}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := parsers.Get().(*jsonParser)
		defer p.release()
		if _, ok := p.embedded(s); ok && !json.Valid([]byte(s)) {
			t.Fatalf("embedded reads %q, which encoding/json refuses", s)
		}
	})
}

// TestFieldEmptyAgreesWithEmptyValue: fromStruct's reading of an
// omitempty field's emptiness from the struct's memory (fieldPlan.isEmpty)
// is emptyValue's answer for each kind it reads, zero or not (a float's
// negative zero, a non-nil empty map, an interface holding a nil pointer),
// and the typed route writes what encoding/json's does for them.
func TestFieldEmptyAgreesWithEmptyValue(t *testing.T) {
	t.Parallel()
	type all struct {
		S   string            `json:"s,omitempty"`
		L   []int             `json:"l,omitempty"`
		M   map[string]string `json:"m,omitempty"`
		B   bool              `json:"b,omitempty"`
		I8  int8              `json:"i8,omitempty"`
		U16 uint16            `json:"u16,omitempty"`
		I32 int32             `json:"i32,omitempty"`
		I   int               `json:"i,omitempty"`
		F   float64           `json:"f,omitempty"` // asked of reflect
		P   *string           `json:"p,omitempty"`
		A   any               `json:"a,omitempty"`
	}
	word := "w"
	values := []all{
		{},
		{S: "x", L: []int{}, M: map[string]string{}, B: true, I8: -1, U16: 1, I32: 1 << 20, I: -7, F: math.Copysign(0, -1), P: &word, A: (*string)(nil)},
		{L: []int{1}, M: map[string]string{"k": "v"}, F: 1e-9, A: 0},
	}
	pl := planOf(reflect.TypeFor[all]())
	for _, x := range values {
		v := reflect.ValueOf(&x).Elem()
		base := v.Addr().UnsafePointer()
		for i := range pl.fields {
			f := &pl.fields[i]
			if f.empty == emptyUnknown {
				if f.name != "f" {
					t.Errorf("%s: no empty test", f.name)
				}
				continue
			}
			want := emptyValue(v.FieldByIndex(f.index))
			if got, ask := f.isEmpty(base); !ask && got != want {
				t.Errorf("%+v: %s: isEmpty %v, emptyValue %v", x, f.name, got, want)
			} else if ask && f.empty != emptyNilMap {
				t.Errorf("%+v: %s: asks reflect", x, f.name)
			}
		}
		got, ok := typedToYAML("", &x)
		if !ok {
			t.Fatalf("%+v: typed route refused", x)
		}
		js, err := json.Marshal(&x)
		if err != nil {
			t.Fatal(err)
		}
		ref, ok := jsonToYAML("", js, 0)
		if !ok {
			t.Fatalf("%+v: JSON route refused", x)
		}
		if !bytes.Equal(got, ref) {
			t.Errorf("%+v:\ntyped:\n%s\njson:\n%s", x, got, ref)
		}
	}
}
