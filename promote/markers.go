package promote

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/digx/fluxtf/generator"
)

// The release markers a promotion carries (issue 14): when the target
// takes a step the source tier recorded (a Karpenter major's
// components.<c>.migration {from, to}, a module major's
// source.migrationGuide, a rollback's {to, reason}), the target's spec
// records the same step, so that the promotion passes the rules that ask
// for it (karpenter-no-inplace-upgrade, major-bump-migration,
// no-downgrade); a marker of the source for another step is not copied.
// The target's own rollback, which names its old version, goes once the
// version moves (the spec check refuses a rollback naming another version).

// versionLine is the step name of a version, as the policies' version_line
// (policies/lib/release.rego): MAJOR.MINOR below 1.0 ("0.37"), MAJOR.0
// from 1.0 on ("1.0"); a marker's from/to ("0.37", "1.0", "v5") read the
// same way. ok is false for text that is no version.
func versionLine(v string) (string, bool) {
	major, minor, ok := majorMinor(v)
	if !ok {
		return "", false
	}
	if major == 0 {
		return fmt.Sprintf("0.%d", minor), true
	}
	return fmt.Sprintf("%d.0", major), true
}

var majorMinorRe = regexp.MustCompile(`^[vV]?(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?`)

// majorMinor reads the MAJOR and MINOR of a version or version line
// ("v4.2.0", "0.37", "v5": minor 0).
func majorMinor(v string) (major, minor int, ok bool) {
	m := majorMinorRe.FindStringSubmatch(strings.TrimSpace(v))
	if m == nil {
		return 0, 0, false
	}
	major, err := strconv.Atoi(m[1])
	if err != nil {
		return 0, 0, false
	}
	if m[2] != "" {
		if minor, err = strconv.Atoi(m[2]); err != nil {
			return 0, 0, false
		}
	}
	return major, minor, true
}

// componentStep says whether component step m names the step of a
// version change old -> new (by version line: 0.37 -> 1.0, 1.0 -> 2.0).
func componentStep(m *generator.MigrationStep, old, new string) bool {
	if m == nil {
		return false
	}
	ol, ok1 := versionLine(old)
	nl, ok2 := versionLine(new)
	ml, ok3 := versionLine(m.From)
	mt, ok4 := versionLine(m.To)
	return ok1 && ok2 && ok3 && ok4 && ol != nl && ml == ol && mt == nl
}

// guideStep says whether guide g names the major step of a tag change
// old -> new (v4 -> v5).
func guideStep(g *generator.MigrationGuide, old, new string) bool {
	if g == nil {
		return false
	}
	om, _, ok1 := majorMinor(old)
	nm, _, ok2 := majorMinor(new)
	gf, _, ok3 := majorMinor(g.From)
	gt, _, ok4 := majorMinor(g.To)
	return ok1 && ok2 && ok3 && ok4 && om != nm && gf == om && gt == nm
}

// compareVersions compares two versions by Semantic Versioning 2.0
// precedence, with or without the leading v; ok is false when either is
// not MAJOR.MINOR.PATCH[-pre][+build].
func compareVersions(a, b string) (c int, ok bool) {
	na, nb := releaseForm(a), releaseForm(b)
	if !tagForm.MatchString(na) || !tagForm.MatchString(nb) {
		return 0, false
	}
	return compareTags(na, nb), true
}

// releaseForm is v in the tag form: a leading v, no build metadata.
func releaseForm(v string) string {
	v, _, _ = strings.Cut(strings.TrimSpace(v), "+")
	return "v" + strings.TrimPrefix(strings.TrimPrefix(v, "v"), "V")
}

// markers is a step's markers to carry: the target's spec at prefix (the
// source block, or components.<c>) moves from old to new; src are the
// source tier's fields there, dst the target's.
type markers struct {
	prefix   []string // spec path of the block: source, or components.<c>
	what     string   // for a person: "module", "karpenter"
	old, new string
	// the source's and the target's fields of the block
	srcRollback, dstRollback   *generator.Rollback
	srcMigration, dstMigration *generator.MigrationStep
	srcGuide, dstGuide         *generator.MigrationGuide
	env, from                  string // the target's name, the source's
}

// carry edits e so that the target records what the source recorded for
// the step old -> new, and returns the notes for a person.
func (m markers) carry(e *Edit, file string) ([]string, error) {
	var notes []string
	set := func(field []string, value, line string) error {
		out, err := setPath(e.After, append(append([]string{}, m.prefix...), field...), value)
		if err != nil {
			return inputErr("%s:%w", file, err)
		}
		e.After = out
		if line != "" {
			e.Lines = append(e.Lines, line)
		}
		return nil
	}
	at := strings.Join(m.prefix, ".")
	// a rollback: the step goes down to the version the source recorded
	down := false
	if c, ok := compareVersions(m.new, m.old); ok && c < 0 {
		down = true
	}
	switch rb := m.srcRollback; {
	case down && rb != nil && rb.To == m.new:
		if m.dstRollback == nil || *m.dstRollback != *rb {
			if err := set([]string{"rollback", "to"}, rb.To, ""); err != nil {
				return nil, err
			}
			if err := set([]string{"rollback", "reason"}, rb.Reason, fmt.Sprintf("%s.rollback to %s (%s)", at, rb.To, rb.Reason)); err != nil {
				return nil, err
			}
		}
	case m.dstRollback != nil && m.dstRollback.To != m.new:
		// the target's own rollback names the version it leaves
		out, err := removePath(e.After, append(append([]string{}, m.prefix...), "rollback"))
		if err != nil {
			return nil, inputErr("%s:%w", file, err)
		}
		if string(out) != string(e.After) { // (a rollback of defaults.yaml is not in this file)
			e.Lines = append(e.Lines, fmt.Sprintf("%s.rollback to %s removed (%s moves to %s)", at, m.dstRollback.To, m.what, m.new))
		}
		e.After = out
	}
	// a component's migration step
	if mg := m.srcMigration; mg != nil {
		switch {
		case componentStep(mg, m.old, m.new):
			if m.dstMigration == nil || *m.dstMigration != *mg {
				if err := set([]string{"migration", "from"}, mg.From, ""); err != nil {
					return nil, err
				}
				if err := set([]string{"migration", "to"}, mg.To, fmt.Sprintf("%s.migration %s -> %s (taken from %s: do the step's manual work in %s too)", at, mg.From, mg.To, m.from, m.env)); err != nil {
					return nil, err
				}
			}
		default:
			notes = append(notes, fmt.Sprintf("%s: %s's %s.migration (%s -> %s) is for another step than %s's %s -> %s: not taken", m.env, m.from, at, mg.From, mg.To, m.env, m.old, m.new))
		}
	}
	// a module major's guide
	if g := m.srcGuide; g != nil {
		switch {
		case guideStep(g, m.old, m.new):
			if m.dstGuide == nil || *m.dstGuide != *g {
				for _, f := range [][2]string{{"path", g.Path}, {"from", g.From}} {
					if err := set([]string{"migrationGuide", f[0]}, f[1], ""); err != nil {
						return nil, err
					}
				}
				if err := set([]string{"migrationGuide", "to"}, g.To, fmt.Sprintf("%s.migrationGuide %s (%s -> %s)", at, g.Path, g.From, g.To)); err != nil {
					return nil, err
				}
			}
		default:
			notes = append(notes, fmt.Sprintf("%s: %s's %s.migrationGuide (%s -> %s) is for another step than %s's %s -> %s: not taken", m.env, m.from, at, g.From, g.To, m.env, m.old, m.new))
		}
	}
	return notes, nil
}
