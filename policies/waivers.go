package policies

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/digx/fluxtf/internal/contract"
	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/manifest"
	"github.com/digx/fluxtf/internal/yamlx"
)

// DefaultMaxWaiverDays is how many days ahead of the run's date a waiver
// may expire when Input.MaxWaiverDays is not set (--max-waiver-days).
const DefaultMaxWaiverDays = 90

// maxWaiverDaysUseful is a count of days past 9999-12-31 from any run
// (about 11,000 years).
const maxWaiverDaysUseful = 1 << 22

// applyWaivers marks findings waived by their object's annotations and
// reports expired, invalid and unused waivers. A waiver that expires more
// than maxDays (DefaultMaxWaiverDays when 0) after now is invalid and
// waives nothing; a finding marked Unwaivable is never waived, and a
// waiver that tries is invalid.
func applyWaivers(rep *finding.Report, idx *docIndex, now time.Time, maxDays int, specsDir string, known func(string) bool) {
	if now.IsZero() {
		now = time.Now()
	}
	if maxDays <= 0 {
		maxDays = DefaultMaxWaiverDays
	}
	y, m, day := now.UTC().Date()
	// more days than lie between any run and 9999-12-31, the last date a
	// waiver can name, allow every date: a larger count overflowed the
	// date arithmetic (the latest date allowed became yesterday)
	latest := time.Date(y, m, day, 0, 0, 0, 0, time.UTC).AddDate(0, 0, min(maxDays, maxWaiverDaysUseful))
	objs := byObject(rep.Findings)
	var extra []finding.Finding
	// the waivers of one spec waiver (waiver-source annotations) are judged
	// together: their findings are made once, at the spec line
	spec := map[string]*specWaiver{}
	seen := map[*manifest.Doc]bool{}
	for _, d := range idx.byFileKey {
		if seen[d] {
			continue
		}
		seen[d] = true
		ann := d.Annotations()
		for key, value := range ann {
			rule, ok := strings.CutPrefix(key, contract.WaiverPrefix)
			if !ok {
				continue
			}
			field := "metadata.annotations[" + key + "]"
			at := func(id string, sev finding.Severity, msg string) finding.Finding {
				line, col := d.Pos(field)
				return finding.Finding{Rule: id, Severity: sev, Message: msg, File: d.File, Line: line, Column: col,
					APIVersion: d.APIVersion, Kind: d.Kind, Name: d.Name, Namespace: d.Namespace, Field: field}
			}
			var sw *specWaiver
			if file, path, ok := contract.ParseWaiverSource(ann[contract.WaiverSourceAnnotation(rule)]); ok {
				k := file + "#" + path + "|" + rule
				if sw = spec[k]; sw == nil {
					sw = &specWaiver{file: file, path: path, rule: rule, found: map[string]bool{}}
					spec[k] = sw
				}
				sw.objects++
			}
			report := func(f finding.Finding) {
				if sw == nil {
					extra = append(extra, f)
					return
				}
				sw.add(f)
			}
			w, err := contract.ParseWaiver(rule, value)
			switch {
			case err != nil:
				report(at(RuleWaiverInvalid, finding.Deny, err.Error()))
				continue
			case unwaivable[rule] != "":
				report(at(RuleWaiverInvalid, finding.Deny, fmt.Sprintf("%s findings cannot be waived: %s", rule, unwaivable[rule])))
				continue
			case !known(rule):
				report(at(RuleWaiverInvalid, finding.Deny, fmt.Sprintf("waiver names an unknown rule %q; see fluxtf explain", rule)))
				continue
			case w.Reason == "":
				report(at(RuleWaiverInvalid, finding.Deny, fmt.Sprintf("waiver for %s has no reason; write \"%s: <why this is accepted>\"", rule, w.Expires.Format(time.DateOnly))))
				continue
			case w.Expires.After(latest):
				report(at(RuleWaiverInvalid, finding.Deny, fmt.Sprintf("waiver for %s expires on %s, more than %d days ahead (the latest allowed is %s); a waiver is a dated promise: set a date within %d days and renew it if needed (--max-waiver-days)", rule, w.Expires.Format(time.DateOnly), maxDays, latest.Format(time.DateOnly), maxDays)))
				continue
			}
			matched, refused := false, false
			for _, i := range objs[d.File+"|"+objKey(d.Kind, d.Namespace, d.Name)] {
				f := &rep.Findings[i]
				if f.Rule != rule {
					continue
				}
				matched = true
				if f.Unwaivable {
					refused = true
					continue
				}
				if w.Active(now) {
					f.Waiver = &finding.Waiver{Reason: w.Reason, Expires: w.Expires.Format(time.DateOnly)}
				}
			}
			if refused {
				report(at(RuleWaiverInvalid, finding.Deny, fmt.Sprintf("waiver for %s cannot accept a value that is certainly a credential; revoke and rotate it, remove it from the manifest, then remove the waiver", rule)))
			}
			switch {
			case !w.Active(now):
				report(at(RuleWaiverExpired, finding.Deny, fmt.Sprintf("waiver for %s expired on %s (%s); fix the finding or renew the waiver", rule, w.Expires.Format(time.DateOnly), w.Reason)))
			case sw != nil:
				sw.matched = sw.matched || matched
				sw.unused = at(RuleWaiverUnused, finding.Warn, fmt.Sprintf("waiver for %s waives nothing on any object it applies to; remove it", rule))
			case !matched:
				extra = append(extra, at(RuleWaiverUnused, finding.Warn, fmt.Sprintf("waiver for %s waives nothing on this object; remove it", rule)))
			}
		}
	}
	for _, sw := range spec {
		if !sw.matched && sw.unused.Rule != "" {
			sw.add(sw.unused)
		}
		extra = append(extra, sw.findings(specsDir)...)
	}
	rep.Findings = append(rep.Findings, extra...)
}

// specWaiver is one waiver of an environment spec, which the generator
// copied onto every object it applies to.
type specWaiver struct {
	file, path, rule string
	objects          int  // objects that carry it
	matched          bool // it met a finding of its rule on one of them
	// unused is the waiver-unused finding to make when it waived nothing
	unused finding.Finding
	// out holds one finding per rule and message, at the first object
	// (by file and line) that gave it
	out   []finding.Finding
	found map[string]bool
}

func (s *specWaiver) add(f finding.Finding) {
	k := f.Rule + "|" + f.Message
	if !s.found[k] {
		s.found[k] = true
		s.out = append(s.out, f)
		return
	}
	for i := range s.out {
		if o := &s.out[i]; o.Rule == f.Rule && o.Message == f.Message && (f.File < o.File || f.File == o.File && f.Line < o.Line) {
			*o = f
		}
	}
}

// findings are the spec waiver's findings, each once: at the waiver in
// the spec when the specs folder is known and the spec is there, else at
// the first generated object that carries it; the message names the spec
// waiver either way.
func (s *specWaiver) findings(specsDir string) []finding.Finding {
	var pos yamlx.Pos
	file := s.file
	if specsDir != "" {
		file = filepath.Join(specsDir, s.file)
		if docs, err := yamlx.ParseFile(file, yamlx.DefaultLimits); err == nil && len(docs) == 1 && docs[0].Root != nil {
			if p, ok := docs[0].Root.KeyPos(s.path + ".rule"); ok && p.File == file {
				pos = p
			}
		}
	}
	out := make([]finding.Finding, 0, len(s.out))
	for _, f := range s.out {
		if pos.Line > 0 {
			f.Message = fmt.Sprintf("%s: %s (it applies to %d generated objects)", s.path, f.Message, s.objects)
			f.File, f.Line, f.Column, f.Field = file, pos.Line, pos.Column, s.path
			f.APIVersion, f.Kind, f.Namespace = generatorSpecAPIVersion, "Environment", ""
			f.Name = strings.TrimSuffix(s.file, ".yaml")
		} else {
			f.Message = fmt.Sprintf("%s %s: %s", s.file, s.path, f.Message)
		}
		out = append(out, f)
	}
	return out
}

// generatorSpecAPIVersion is the apiVersion of environment specs, for
// findings located in one.
const generatorSpecAPIVersion = "fluxtf/v1alpha1"
