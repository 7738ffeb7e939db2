package generator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// The release fields of a spec (issue 14): migration steps and rollbacks.
// Policies read them from the annotations the generator renders
// (internal/contract): a migration as "FROM -> TO", a rollback as
// "VERSION: reason".

// tagRE is the one form of a module tag: vMAJOR.MINOR.PATCH with an
// optional pre-release, no build metadata (policies/lib/release.rego
// spells the same pattern as tag_form).
var tagRE = lazyRE(`^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$`)

var (
	majorStepRE = lazyRE(`^v?(0|[1-9][0-9]*)$`)
	minorStepRE = lazyRE(`^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$`)
)

// MigrationStep names the breaking upgrade whose manual steps are done
// (Karpenter's CRD clean-up from 0.37 to 1.0), so that a marker left in
// place does not let the next breaking upgrade through.
type MigrationStep struct {
	// From is the version line the step starts at: "0.37", "1.0".
	From string `json:"from"`
	// To is the version line the step ends at: "1.0", "2.0".
	To string `json:"to"`
}

// UnmarshalJSON refuses the old forms (migration: true, migration: done)
// with the form to write instead.
func (m *MigrationStep) UnmarshalJSON(b []byte) error {
	type plain MigrationStep
	var p plain
	if err := strictJSON(b, &p); err != nil {
		return fmt.Errorf(`name the step the migration covers, such as {from: "0.37", to: "1.0"} (%w)`, err)
	}
	*m = MigrationStep(p)
	return nil
}

// Annotation is the marker's annotation value, "FROM -> TO".
func (m MigrationStep) Annotation() string { return m.From + " -> " + m.To }

// MigrationGuide names the guide of a module major version rise and the
// step it covers (v4 -> v5), so that a guide left in place does not let
// the next major through.
type MigrationGuide struct {
	// Path of the guide in the stack repository, such as docs/migrations/v5.md.
	Path string `json:"path"`
	// From is the major version the guide starts at: v4.
	From string `json:"from"`
	// To is the major version the guide ends at: v5.
	To string `json:"to"`
}

// UnmarshalJSON refuses a bare path with the form to write instead.
func (g *MigrationGuide) UnmarshalJSON(b []byte) error {
	type plain MigrationGuide
	var p plain
	if err := strictJSON(b, &p); err != nil {
		return fmt.Errorf(`name the guide and the major step it covers, such as {path: docs/migrations/v5.md, from: v4, to: v5} (%w)`, err)
	}
	*g = MigrationGuide(p)
	return nil
}

// Rollback records that running a version below the baseline's is
// deliberate: the version rolled back to and why.
type Rollback struct {
	// To is the version rolled back to; it must be the tag or version the spec runs.
	To string `json:"to"`
	// Reason says why, such as an incident reference.
	Reason string `json:"reason"`
}

// UnmarshalJSON refuses a bare value with the form to write instead.
func (r *Rollback) UnmarshalJSON(b []byte) error {
	type plain Rollback
	var p plain
	if err := strictJSON(b, &p); err != nil {
		return fmt.Errorf(`record the version rolled back to and why, such as {to: v4.1.0, reason: "v4.2.0 breaks IRSA, INC-1234"} (%w)`, err)
	}
	*r = Rollback(p)
	return nil
}

// Annotation is the rollback's annotation value, "VERSION: reason".
func (r Rollback) Annotation() string { return r.To + ": " + r.Reason }

// strictJSON decodes an object with no unknown fields.
func strictJSON(b []byte, v any) error {
	t := bytes.TrimSpace(b)
	if len(t) == 0 || t[0] != '{' {
		return errors.New("got " + describeJSON(t))
	}
	d := json.NewDecoder(bytes.NewReader(t))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return errors.New(strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}

func describeJSON(t []byte) string {
	switch {
	case bytes.Equal(t, []byte("true")), bytes.Equal(t, []byte("false")):
		return "the boolean " + string(t)
	case len(t) > 0 && t[0] == '"':
		return "the text " + string(t)
	case len(t) > 0 && t[0] == '[':
		return "a list"
	case bytes.Equal(t, []byte("null")):
		return "nothing"
	}
	return string(t)
}

// release checks the release fields of a spec.
func (c *checker) release(e *Environment) {
	s := &e.Source
	if s.Tag != "" && semverRE.MatchString(s.Tag) && !tagRE.MatchString(s.Tag) {
		c.add("source.tag", "%q is not in the tag form vMAJOR.MINOR.PATCH[-pre] (a leading v, no build metadata); tag the release %q and use that", s.Tag, tagFix(s.Tag))
	}
	if g := s.MigrationGuide; g != nil {
		switch {
		case g.Path == "":
			c.add("source.migrationGuide.path", "is required: the guide's path in the stack repository, such as docs/migrations/v5.md")
		case !majorStepRE.MatchString(g.From):
			c.add("source.migrationGuide.from", "%q is not a major version such as v4", g.From)
		case !majorStepRE.MatchString(g.To):
			c.add("source.migrationGuide.to", "%q is not a major version such as v5", g.To)
		}
	}
	if r := s.Rollback; r != nil {
		c.rollback("source.rollback", r, s.Tag, "source.tag")
	}
	for _, name := range sortedKeys(e.Components) {
		comp := e.Components[name]
		p := "components[" + name + "]"
		if comp.Version != "" && !semverRE.MatchString(comp.Version) {
			c.add(p+".version", "%q is not an exact version; pin one such as \"1.1.0\" (latest, ranges and partial versions move under the cluster)", comp.Version)
		}
		if m := comp.Migration; m != nil {
			switch {
			case !minorStepRE.MatchString(m.From):
				c.add(p+".migration.from", "%q is not a version line such as \"0.37\" or \"1.0\"", m.From)
			case !minorStepRE.MatchString(m.To):
				c.add(p+".migration.to", "%q is not a version line such as \"1.0\"", m.To)
			}
		}
		if r := comp.Rollback; r != nil {
			c.rollback(p+".rollback", r, comp.Version, p+".version")
		}
	}
}

// rollback checks a rollback against the version it applies to.
func (c *checker) rollback(p string, r *Rollback, version, versionPath string) {
	switch {
	case strings.TrimSpace(r.Reason) == "":
		c.add(p+".reason", "is required: say why the version goes back (an incident, a ticket)")
	case version == "":
		c.add(p, "needs %s: a rollback applies to the version the spec pins", versionPath)
	case r.To != version:
		c.add(p+".to", "is %q but %s is %q; a rollback names the version it goes back to (remove it once the release moves forward)", r.To, versionPath, version)
	}
}

// tagFix is a tag in the documented form.
func tagFix(t string) string {
	t = strings.TrimPrefix(strings.TrimPrefix(t, "v"), "V")
	t, _, _ = strings.Cut(t, "+")
	return "v" + t
}
