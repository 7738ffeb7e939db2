package policies

import (
	"fmt"
	"strings"
	"time"

	"github.com/digx/fluxtf/internal/contract"
	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/manifest"
)

// DefaultMaxWaiverDays is how many days ahead of the run's date a waiver
// may expire when Input.MaxWaiverDays is not set (--max-waiver-days).
const DefaultMaxWaiverDays = 90

// applyWaivers marks findings waived by their object's annotations and
// reports expired, invalid and unused waivers. A waiver that expires more
// than maxDays (DefaultMaxWaiverDays when 0) after now is invalid and
// waives nothing; a finding marked Unwaivable is never waived, and a
// waiver that tries is invalid.
func applyWaivers(rep *finding.Report, idx *docIndex, now time.Time, maxDays int, known func(string) bool) {
	if now.IsZero() {
		now = time.Now()
	}
	if maxDays <= 0 {
		maxDays = DefaultMaxWaiverDays
	}
	y, m, day := now.UTC().Date()
	latest := time.Date(y, m, day, 0, 0, 0, 0, time.UTC).AddDate(0, 0, maxDays)
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
			case w.Expires.After(latest):
				extra = append(extra, at(RuleWaiverInvalid, finding.Deny, fmt.Sprintf("waiver for %s expires on %s, more than %d days ahead (the latest allowed is %s); a waiver is a dated promise: set a date within %d days and renew it if needed (--max-waiver-days)", rule, w.Expires.Format(time.DateOnly), maxDays, latest.Format(time.DateOnly), maxDays)))
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
				extra = append(extra, at(RuleWaiverInvalid, finding.Deny, fmt.Sprintf("waiver for %s cannot accept a value that is certainly a credential; revoke and rotate it, remove it from the manifest, then remove the waiver", rule)))
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
