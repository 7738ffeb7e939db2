package policies

import (
	"fmt"
	"strings"
	"time"

	"github.com/digx/fluxtf/internal/contract"
	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/manifest"
)

// applyWaivers marks findings waived by their object's annotations and
// reports expired, invalid and unused waivers.
func applyWaivers(rep *finding.Report, idx *docIndex, now time.Time, known func(string) bool) {
	if now.IsZero() {
		now = time.Now()
	}
	objs := byObject(rep.Findings)
	var extra []finding.Finding
	seen := map[*manifest.Doc]bool{}
	for _, d := range idx.byFileKey {
		if seen[d] {
			continue
		}
		seen[d] = true
		for key, value := range d.Annotations() {
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
			w, err := contract.ParseWaiver(rule, value)
			switch {
			case err != nil:
				extra = append(extra, at(RuleWaiverInvalid, finding.Deny, err.Error()))
				continue
			case unwaivable[rule] != "":
				extra = append(extra, at(RuleWaiverInvalid, finding.Deny, fmt.Sprintf("%s findings cannot be waived: %s", rule, unwaivable[rule])))
				continue
			case !known(rule):
				extra = append(extra, at(RuleWaiverInvalid, finding.Deny, fmt.Sprintf("waiver names an unknown rule %q; see fluxtf explain", rule)))
				continue
			case w.Reason == "":
				extra = append(extra, at(RuleWaiverInvalid, finding.Deny, fmt.Sprintf("waiver for %s has no reason; write \"%s: <why this is accepted>\"", rule, w.Expires.Format(time.DateOnly))))
				continue
			}
			matched := false
			for _, i := range objs[d.File+"|"+objKey(d.Kind, d.Namespace, d.Name)] {
				f := &rep.Findings[i]
				if f.Rule != rule {
					continue
				}
				matched = true
				if w.Active(now) {
					f.Waiver = &finding.Waiver{Reason: w.Reason, Expires: w.Expires.Format(time.DateOnly)}
				}
			}
			switch {
			case !w.Active(now):
				extra = append(extra, at(RuleWaiverExpired, finding.Deny, fmt.Sprintf("waiver for %s expired on %s (%s); fix the finding or renew the waiver", rule, w.Expires.Format(time.DateOnly), w.Reason)))
			case !matched:
				extra = append(extra, at(RuleWaiverUnused, finding.Warn, fmt.Sprintf("waiver for %s waives nothing on this object; remove it", rule)))
			}
		}
	}
	rep.Findings = append(rep.Findings, extra...)
}
