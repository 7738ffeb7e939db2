package manifest

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

	sourcev1 "github.com/fluxcd/source-controller/api/v1"
	sourcev1beta2 "github.com/fluxcd/source-controller/api/v1beta2"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	v1alpha2 "github.com/digx/fluxtf/api/infra/v1alpha2"
	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/parallel"
	"github.com/digx/fluxtf/internal/sourcecheck"
	"github.com/digx/fluxtf/internal/yamlx"
)

// SchemaRule is the rule id of findings about schema constraints.
const SchemaRule = "schema"

// API versions Check knows.
const (
	// GitRepositoryV1 is the current GitRepository API.
	GitRepositoryV1 = "source.toolkit.fluxcd.io/v1"
	// GitRepositoryV1beta2 is the deprecated GitRepository API that is
	// still checked.
	GitRepositoryV1beta2 = "source.toolkit.fluxcd.io/v1beta2"
)

// Check decodes every GitRepository and Terraform strictly into its Go
// type and validates it against its CRD's constraints. An unknown field, a
// wrong type, or a v1alpha2-only field in a v1alpha1 Terraform is in errs
// (an input error, at file:line:column with the field path); a violated
// constraint (an enum, a pattern, a required field) is a finding of rule
// "schema" with severity deny. Other kinds are not checked. Each document
// is decoded once, however often Check is called.
func (s *Set) Check() (errs yamlx.ErrorList, problems []finding.Finding) {
	parallel.For(len(s.Docs), func(i int) { s.Docs[i].check() })
	for _, d := range s.Docs {
		errs = append(errs, d.errs()...)
		problems = append(problems, d.problems()...)
	}
	if len(errs) > 0 {
		errs = sortErrors(errs)
	}
	return errs, dedupeFindings(problems)
}

// Typed returns the object decoded into its Go type: a
// *sourcev1.GitRepository, a *sourcev1beta2.GitRepository or a
// *v1alpha2.Terraform (for v1alpha1 too). It is nil for other kinds and for
// documents that do not decode (Check says why). Check keeps no decoded
// objects (on a large set they would be a good part of the memory), so
// Typed decodes the document again, into a new value, at each call.
func (d *Doc) Typed() any {
	d.check()
	node := d.node
	if node == nil {
		node = d.Root()
	}
	out := newTyped(d.Kind, d.APIVersion)
	if out == nil || node == nil || yamlx.Decode(node, out) != nil {
		return nil
	}
	return out
}

// newTyped returns a new, empty object of the Go type Check decodes a
// document of this kind and apiVersion into, or nil for other kinds.
func newTyped(kind, apiVersion string) any {
	switch {
	case kind == sourcev1.GitRepositoryKind && apiVersion == GitRepositoryV1:
		return &sourcev1.GitRepository{}
	case kind == sourcev1beta2.GitRepositoryKind && apiVersion == GitRepositoryV1beta2:
		return &sourcev1beta2.GitRepository{}
	case kind == v1alpha2.TerraformKind && (apiVersion == v1alpha2.APIVersion || apiVersion == v1alpha2.DeprecatedAPIVersion):
		return &v1alpha2.Terraform{}
	}
	return nil
}

func (d *Doc) check() {
	d.once.Do(func() {
		defer func() {
			if r := recover(); r != nil {
				d.out = &checkOut{errs: yamlx.ErrorList{{Pos: d.position(""), Msg: fmt.Sprintf("internal error checking %s %s: %v", d.Kind, d.Name, r)}}}
			}
		}()
		if d.node == nil { // released unchecked (Options.NoCheck)
			d.node = d.Root()
			d.root = d.node
		}
		d.decodeAndValidate()
		d.release()
		d.checked = true
	})
}

func (d *Doc) decodeAndValidate() {
	var fieldErrs field.ErrorList
	switch {
	case d.Kind == sourcev1.GitRepositoryKind && d.APIVersion == GitRepositoryV1:
		g := gitRepositories.Get().(*sourcev1.GitRepository)
		defer putGitRepository(g)
		if d.decode(g) {
			fieldErrs = sourcecheck.ValidateGitRepository(g)
		}
	case d.Kind == sourcev1beta2.GitRepositoryKind && d.APIVersion == GitRepositoryV1beta2:
		var g sourcev1beta2.GitRepository
		if d.decode(&g) {
			fieldErrs = validateGitRepositoryV1beta2(&g)
		}
	case d.Kind == v1alpha2.TerraformKind && d.APIVersion == v1alpha2.APIVersion:
		t := terraforms.Get().(*v1alpha2.Terraform)
		defer putTerraform(t) // nothing below keeps a part of it
		if d.decode(t) {
			fieldErrs = t.Validate()
		}
	case d.Kind == v1alpha2.TerraformKind && d.APIVersion == v1alpha2.DeprecatedAPIVersion:
		obj := d.Object
		if obj == nil { // converted (Options.Convert): read the tree
			obj, _ = d.node.ToAny().(map[string]any)
		}
		for _, e := range v1alpha2.FindV1alpha2OnlyFields(obj) {
			out := d.found()
			out.errs = append(out.errs, &yamlx.Error{Pos: d.position(e.Field), Path: e.Field,
				Msg: fmt.Sprintf("%s; use apiVersion %s or remove the field", e.Detail, v1alpha2.APIVersion)})
		}
		var t v1alpha2.Terraform
		if d.decode(&t) {
			for _, e := range t.ValidateAsV1alpha1() {
				if !isV1alpha2Only(e) { // reported above, from the document itself
					fieldErrs = append(fieldErrs, e)
				}
			}
		}
	default:
		return
	}
	for _, e := range fieldErrs {
		line, col := d.Pos(e.Field)
		out := d.found()
		out.problems = append(out.problems, finding.Finding{
			Rule:       SchemaRule,
			Severity:   finding.Deny,
			Message:    e.Error(),
			File:       d.File,
			Line:       line,
			Column:     col,
			APIVersion: d.APIVersion,
			Kind:       d.Kind,
			Name:       d.Name,
			Namespace:  d.Namespace,
			Field:      e.Field,
		})
	}
}

// The objects the current APIs decode into, used again: a Terraform is
// about 1.4 KB before any of its parts, most of what checking a rendered
// object allocated for itself. decodeAndValidate keeps nothing of them
// (the findings' messages and fields are strings made from them), and
// each is cleared before it goes back, so that Decode, which leaves the
// fields a document does not set as they are, starts from zero.
var (
	terraforms      = sync.Pool{New: func() any { return new(v1alpha2.Terraform) }}
	gitRepositories = sync.Pool{New: func() any { return new(sourcev1.GitRepository) }}
)

func putTerraform(t *v1alpha2.Terraform) {
	*t = v1alpha2.Terraform{}
	terraforms.Put(t)
}

func putGitRepository(g *sourcev1.GitRepository) {
	*g = sourcev1.GitRepository{}
	gitRepositories.Put(g)
}

// decode fills out strictly from the document, recording errors; it
// reports whether decoding succeeded. Errors in a built object are placed
// on its source document where the field exists there.
func (d *Doc) decode(out any) bool {
	err := yamlx.DecodeWith(d.node, out, &decodeOptions)
	if err == nil {
		return true
	}
	for _, e := range asErrList(d.File, err) {
		if d.built() {
			e = &yamlx.Error{Pos: d.position(e.Path), Path: e.Path, Msg: e.Msg}
		}
		out := d.found()
		out.errs = append(out.errs, e)
	}
	return false
}

// decodeOptions decode what a Terraform's and a GitRepository's durations
// (interval, retryInterval, timeout, ...) are written as, a plain string
// such as 10m0s, without metav1.Duration.UnmarshalJSON (which decodes the
// quoted string with encoding/json first): the same value and the same
// error (TestDurationShortcutIsUnmarshalJSON, FuzzDurationShortcut).
var decodeOptions = yamlx.DecodeOptions{Strings: map[reflect.Type]func(reflect.Value, string) error{
	reflect.TypeFor[metav1.Duration](): decodeDuration,
}}

// decodeDuration sets v, a metav1.Duration, from s as its UnmarshalJSON
// sets it from the JSON string of s.
func decodeDuration(v reflect.Value, s string) error {
	pd, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	v.Field(0).SetInt(int64(pd)) // Duration.Duration
	return nil
}

func isV1alpha2Only(e *field.Error) bool {
	if e.Type != field.ErrorTypeForbidden {
		return false
	}
	rel, ok := strings.CutPrefix(e.Field, "spec.")
	if !ok {
		return false
	}
	for _, p := range v1alpha2.AddedFieldPaths() {
		if p == rel {
			return true
		}
	}
	return false
}

func dedupeFindings(fs []finding.Finding) []finding.Finding {
	// the fields a schema finding sets (Finding itself is not comparable)
	type key struct {
		rule, msg, file, apiVersion, kind, name, namespace, field string
		sev                                                       finding.Severity
		line, col                                                 int
	}
	seen := make(map[key]bool, len(fs))
	out := fs[:0]
	for _, f := range fs {
		k := key{f.Rule, f.Message, f.File, f.APIVersion, f.Kind, f.Name, f.Namespace, f.Field, f.Severity, f.Line, f.Column}
		if !seen[k] {
			seen[k] = true
			out = append(out, f)
		}
	}
	return out
}
