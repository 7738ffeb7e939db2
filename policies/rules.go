package policies

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/loader"

	"github.com/digx/fluxtf/internal/finding"
)

// Embedded holds the built-in policies: rules/<id>.rego with
// rules/<id>_test.rego, and the shared library lib/.
//
//go:embed rules lib
var Embedded embed.FS

// Rule ids fluxtf produces outside Rego.
const (
	RuleSchema        = "schema"
	RuleWaiverExpired = "waiver-expired"
	RuleWaiverInvalid = "waiver-invalid"
	RuleWaiverUnused  = "waiver-unused"
)

// engineRules are the rules the Go side of fluxtf reports.
var engineRules = []finding.Rule{
	{
		ID: RuleSchema, Severity: finding.Deny, Source: "builtin",
		Title:     "Manifests satisfy their CRD schema",
		Rationale: "GitRepository v1 and Terraform v1alpha2 objects are checked against the constraints of the upstream CRDs (required fields, enums, patterns, lengths) before they reach the cluster, where the API server would reject them and Flux would stall the whole Kustomization.",
		Fix:       "Set the field as the message says; `kubectl explain terraform.spec` and the tf-controller docs list the allowed values.",
	},
	{
		ID: RuleWaiverExpired, Severity: finding.Deny, Source: "builtin",
		Title:     "Waivers expire",
		Rationale: "A waiver accepts a finding for a limited time. Once its date has passed the finding counts again and the stale waiver is reported, so accepted risks are revisited instead of forgotten.",
		Fix:       "Fix the finding and remove the waiver, or renew it with a new date and reason (spec `waivers:` or the `waive.fluxtf.io/<rule>` annotation).",
	},
	{
		ID: RuleWaiverInvalid, Severity: finding.Deny, Source: "builtin",
		Title:     "Waivers name a rule, a date and a reason",
		Rationale: "A waiver without a reason or an expiry date, or for a rule that does not exist, hides findings with no accountability. A waiver is a dated promise, so its date may be at most 90 days ahead of the run (--max-waiver-days); `9999-12-31` is refused. No waiver accepts a value that is certainly a credential (an AWS access key id, a GitHub token, a private key): once committed it is compromised, whatever the reason.",
		Fix:       "Write the annotation as `waive.fluxtf.io/<rule-id>: \"YYYY-MM-DD: why this is accepted\"` with an existing rule id and a date within the limit; for a credential, revoke and rotate it, remove it from the manifest and remove the waiver.",
	},
	{
		ID: RuleWaiverUnused, Severity: finding.Warn, Source: "builtin",
		Title:     "Waivers waive something",
		Rationale: "A waiver whose rule no longer fires on the object is dead weight that could hide a future regression.",
		Fix:       "Remove the waiver.",
	},
}

// unwaivable are the rules no waiver may silence, with why: a schema
// finding is an object the API server rejects whatever the annotation
// says, and the waiver rules judge the waivers themselves.
var unwaivable = map[string]string{
	RuleSchema:        "the API server rejects the object whatever a waiver says; fix the field",
	RuleWaiverExpired: "it reports a waiver; renew or remove that waiver",
	RuleWaiverInvalid: "it reports a waiver; fix or remove that waiver",
	RuleWaiverUnused:  "it reports a waiver; remove that waiver",
}

// loadModules reads .rego files (Rego v1) with OPA's loader. With fsys
// set, paths are inside it; otherwise they are on disk. Test files are
// returned apart.
func loadModules(fsys fs.FS, paths []string, withTests bool) (policies, tests map[string]*ast.Module, err error) {
	return loadModulesVersion(fsys, paths, withTests, RegoV1)
}

// loadModulesVersion is loadModules for Rego of the given version.
func loadModulesVersion(fsys fs.FS, paths []string, withTests bool, v RegoVersion) (policies, tests map[string]*ast.Module, err error) {
	l := loader.NewFileLoader().
		WithProcessAnnotation(true).
		WithRegoVersion(v.ast())
	if fsys != nil {
		l = l.WithFS(fsys)
	}
	if fsys == nil {
		// the user's folders: listed here, so that the loader, which
		// follows every link to a folder, reads nothing else
		if paths, err = userPolicyFiles(paths); err != nil {
			return nil, nil, err
		}
		if len(paths) == 0 {
			return map[string]*ast.Module{}, map[string]*ast.Module{}, nil
		}
	}
	var special error
	res, err := l.Filtered(paths, func(abspath string, info fs.FileInfo, _ int) bool {
		if info.IsDir() {
			return false
		}
		// a test file is only parsed when tests are run
		skip := !strings.HasSuffix(info.Name(), ".rego") || (!withTests && strings.HasSuffix(info.Name(), "_test.rego"))
		if typ := info.Mode().Type(); !skip && typ&^fs.ModeSymlink != 0 && special == nil {
			// a FIFO would block the read for ever, a device or socket
			// is no policy file: never opened
			special = fmt.Errorf("%s: is not a regular file (%s); fluxtf reads only regular files, remove it", abspath, typ)
		}
		return skip || special != nil
	})
	if special != nil {
		return nil, nil, special
	}
	if err != nil {
		return nil, nil, loadError(err)
	}
	policies, tests = map[string]*ast.Module{}, map[string]*ast.Module{}
	for name, f := range res.Modules {
		if strings.HasSuffix(name, "_test.rego") {
			tests[name] = f.Parsed
		} else {
			policies[name] = f.Parsed
		}
	}
	return policies, tests, nil
}

// ruleFromModule reads a rule's metadata from its package annotations.
func ruleFromModule(name string, m *ast.Module) (finding.Rule, error) {
	var a *ast.Annotations
	for _, x := range m.Annotations {
		if x.Scope == "package" {
			a = x
		}
	}
	if a == nil {
		return finding.Rule{}, fmt.Errorf("%s: no # METADATA block (title, description, custom.id, custom.severity, custom.fix)", name)
	}
	r := finding.Rule{Title: a.Title, Rationale: strings.TrimSpace(a.Description), Source: "builtin"}
	str := func(k string) string {
		s, _ := a.Custom[k].(string)
		return strings.TrimSpace(s)
	}
	r.ID, r.Fix, r.Summary, r.SpecFix = str("id"), str("fix"), str("summary"), str("specFix")
	r.Severity = finding.Severity(str("severity"))
	r.Baseline, _ = a.Custom["baseline"].(bool)
	switch {
	case r.ID == "" || r.Title == "" || r.Rationale == "" || r.Fix == "":
		return r, fmt.Errorf("%s: metadata needs title, description, custom.id and custom.fix", name)
	case r.Severity != finding.Deny && r.Severity != finding.Warn:
		return r, fmt.Errorf("%s: custom.severity must be deny or warn", name)
	case "fluxtf.rules."+strings.ReplaceAll(r.ID, "-", "_") != strings.TrimPrefix(m.Package.Path.String(), "data."):
		return r, fmt.Errorf("%s: package must be fluxtf.rules.%s for rule %s", name, strings.ReplaceAll(r.ID, "-", "_"), r.ID)
	}
	return r, nil
}

// BuiltinRules lists the embedded rules and the engine's own, sorted by id.
func BuiltinRules() ([]finding.Rule, error) {
	mods, _, err := loadModules(Embedded, []string{"rules"}, false)
	if err != nil {
		return nil, err
	}
	return rulesOf(mods)
}

// rulesOf reads the rules' metadata from the parsed embedded rule modules.
func rulesOf(mods map[string]*ast.Module) ([]finding.Rule, error) {
	rules := append([]finding.Rule(nil), engineRules...)
	for _, name := range sortedModuleNames(mods) {
		r, err := ruleFromModule(name, mods[name])
		if err != nil {
			return nil, err
		}
		rules = append(rules, r)
	}
	sort.Slice(rules, func(i, j int) bool { return rules[i].ID < rules[j].ID })
	return rules, nil
}

// Unwaivable returns why no waiver may silence the rule id, or "" when a
// waiver may.
func Unwaivable(id string) string { return unwaivable[id] }

// RegoVersion is the Rego syntax of the user's policies, as conftest's
// --rego-version: v1 (OPA 1.0: `if` and `contains` required) or v0 (the
// older syntax, `deny[msg] { … }`).
type RegoVersion string

// Rego versions.
const (
	RegoV1 RegoVersion = "v1"
	RegoV0 RegoVersion = "v0"
)

// ParseRegoVersion reads v0 or v1.
func ParseRegoVersion(s string) (RegoVersion, error) {
	switch v := RegoVersion(s); v {
	case RegoV0, RegoV1:
		return v, nil
	}
	return "", fmt.Errorf("unknown Rego version %q: use v0 or v1", s)
}

func (v RegoVersion) ast() ast.RegoVersion {
	if v == RegoV0 {
		return ast.RegoV0
	}
	return ast.RegoV1
}

// loadError flattens the loader's errors into one line each,
// "file:line: message": OPA's parse errors add the line's text and a
// caret below it, lines on stderr that name no file.
func loadError(err error) error {
	var errs loader.Errors
	if !errors.As(err, &errs) {
		return fmt.Errorf("load policies: %w", err)
	}
	lines := make([]string, 0, len(errs))
	for _, e := range errs {
		var ae *ast.Error
		if errors.As(e, &ae) {
			where := ""
			if ae.Location != nil {
				where = fmt.Sprintf("%s:%d: ", ae.Location.File, ae.Location.Row)
			}
			lines = append(lines, where+ae.Message)
			continue
		}
		lines = append(lines, e.Error())
	}
	return errors.New(strings.Join(lines, "\n"))
}

// userPolicyFiles lists the .rego files of the user's policy folders (a
// path that is a file is kept as it is). The walk follows no symbolic
// link to a folder: OPA's loader follows every one, so a link to its own
// folder walked for ever (growing without bound, deaf to a signal) and a
// link to / read the whole machine. A link to a folder inside the policy
// folder is skipped, its files being listed where they are; a link (to a
// file or folder) leading out of the policy folder is refused before
// anything of it is read: a parse error quotes the file's text, so a link
// to a CI runner's credentials would print them, as a spec or manifest
// linking out of its folder would (generator.specLink, manifest's walk).
func userPolicyFiles(paths []string) ([]string, error) {
	var files []string
	for _, root := range paths {
		fi, err := os.Stat(root)
		if err != nil {
			return nil, fmt.Errorf("load policies: %w", err)
		}
		if !fi.IsDir() {
			files = append(files, root)
			continue
		}
		top, err := filepath.EvalSymlinks(root)
		if err == nil {
			top, err = filepath.Abs(top)
		}
		if err != nil {
			return nil, fmt.Errorf("load policies: %w", err)
		}
		walkRoot := root
		if li, err := os.Lstat(root); err == nil && li.Mode().Type()&fs.ModeSymlink != 0 {
			// the folder named is a link: walked where it leads
			walkRoot = root + string(filepath.Separator)
		}
		err = filepath.WalkDir(walkRoot, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type()&fs.ModeSymlink == 0 {
				if !d.IsDir() && strings.HasSuffix(d.Name(), ".rego") {
					files = append(files, path)
				}
				return nil
			}
			real, err := filepath.EvalSymlinks(path)
			if err == nil {
				real, err = filepath.Abs(real)
			}
			if err != nil {
				if !strings.HasSuffix(d.Name(), ".rego") {
					return nil // no policy: never read
				}
				return fmt.Errorf("%s: broken symbolic link (%w); remove it or fix its target", path, err)
			}
			if rel, err := filepath.Rel(top, real); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
				return fmt.Errorf("%s: is a symbolic link to %s, outside %s; fluxtf reads nothing outside the policy folder, remove the link or copy the file", path, real, root)
			}
			if target, err := os.Stat(real); err == nil && !target.IsDir() && strings.HasSuffix(d.Name(), ".rego") {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}
