package approve

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/digx/fluxtf/internal/lineedit"

	infrav1 "github.com/digx/fluxtf/api/infra/v1alpha2"
	"github.com/digx/fluxtf/generator"
	"github.com/digx/fluxtf/templates"
)

// Options say which plan to approve where.
type Options struct {
	// SpecsDir holds the environment specs; OutDir is the output root.
	SpecsDir, OutDir string
	// Env is the environment whose spec records the approval.
	Env string
	// Target is the target's name (targets[].name, default <account>-<region>).
	Target string
	// Component limits the approval to one component (or the base module,
	// by its name or "base"); empty approves every object of the target.
	Component string
	// Plan is the plan id tf-controller shows, plan-<ref>-<10 hex digits>.
	Plan string
	// Templates is the template data; nil means the embedded set.
	Templates *templates.Set
}

// Result says what Approve did.
type Result struct {
	// File is the spec file and Line the line of the approval's plan id.
	File string
	Line int
	// Changed is false when the spec already held this approval.
	Changed bool
	// Objects are the Terraform objects that now carry the plan id, sorted.
	Objects []string
	// Warnings are for a person: an approval that cannot match.
	Warnings []string
	// Render is the rendering of the environment after the edit.
	Render *generator.Result
}

// InputError is a mistake in the options or the spec; nothing was written.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

func inputErr(format string, args ...any) error {
	return &InputError{Err: fmt.Errorf(format, args...)}
}

// Approve records the approval in the environment's spec and renders the
// environment.
func Approve(opts Options) (*Result, error) {
	if _, _, err := generator.ParsePlanID(opts.Plan); err != nil {
		return nil, &InputError{Err: err}
	}
	lo := generator.LoadOptions{SpecsDir: opts.SpecsDir, Templates: opts.Templates}
	l, err := generator.Load(lo, opts.Env)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	if err := checkTarget(l, opts); err != nil {
		return nil, err
	}
	file := l.File
	info, err := os.Lstat(file)
	switch {
	case err != nil:
		return nil, &InputError{Err: err}
	case !info.Mode().IsRegular():
		return nil, inputErr("%s is not a regular file (a symlink?); fluxtf approve edits only real files", file)
	}
	old, err := os.ReadFile(file)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	ed, err := edit(file, old, l.Stack.Base.Name, generator.Approval{Target: opts.Target, Component: opts.Component, Plan: opts.Plan})
	if err != nil {
		return nil, err
	}
	ed.data = lineedit.KeepEOL(old, ed.data) // a CRLF spec stays CRLF
	res := &Result{File: file, Line: ed.line, Changed: !bytes.Equal(ed.data, old)}
	if res.Changed {
		if err := generator.ReplaceFile(file, ed.data, info.Mode().Perm()); err != nil {
			return nil, err
		}
		if l, err = generator.Load(lo, opts.Env); err != nil {
			// should not happen: put the spec back as it was
			if rerr := generator.ReplaceFile(file, old, info.Mode().Perm()); rerr != nil {
				return nil, fmt.Errorf("%s no longer loads (%w) and could not be restored: %w", file, err, rerr)
			}
			return nil, fmt.Errorf("the edited spec did not load, so %s was left as it was: %w", file, err)
		}
	}
	objs, err := generator.Expand(l)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	for _, o := range objs {
		if tf, ok := o.Object.(*infrav1.Terraform); ok && string(tf.Spec.ApprovePlan) == opts.Plan {
			res.Objects = append(res.Objects, tf.Name)
		}
	}
	sort.Strings(res.Objects)
	if msg := generator.StaleApproval(&l.Env, generator.Approval{Plan: opts.Plan}); msg != "" {
		res.Warnings = append(res.Warnings, msg)
	}
	res.Render, err = generator.Render(generator.Options{LoadOptions: lo, OutDir: opts.OutDir, Envs: []string{opts.Env}})
	if err != nil {
		return res, fmt.Errorf("the approval is in %s, but rendering failed: %w", file, err)
	}
	return res, nil
}

// checkTarget makes sure the target and component exist before the spec
// is touched.
func checkTarget(l *generator.Loaded, opts Options) error {
	var names []string
	found := false
	for _, t := range l.Env.Targets {
		names = append(names, t.ID())
		found = found || t.ID() == opts.Target
	}
	if !found {
		return inputErr("%s: environment %s has no target %q; its targets are %s", l.File, l.Env.Name, opts.Target, strings.Join(names, ", "))
	}
	if l.Env.Terraform.ApprovePlan == generator.ApproveAuto {
		return inputErr("%s: environment %s applies every plan (terraform.approvePlan: auto); there is nothing to approve", l.File, l.Env.Name)
	}
	c := opts.Component
	if c == "" || c == "base" || c == l.Stack.Base.Name {
		return nil
	}
	if comp, ok := l.Env.Components[c]; !ok || !comp.On() {
		return inputErr("%s: component %q is not enabled in environment %s; name an enabled component, or %s for the base stack", l.File, c, l.Env.Name, l.Stack.Base.Name)
	}
	return nil
}

// edited is a spec after the edit and the line of the plan id in it.
type edited struct {
	data []byte
	line int
}

// edit adds a to the approvals of the spec data, or updates the plan of
// the entry for the same target and component. It changes only the lines
// it must: the plan id in place, or new lines for a new entry.
func edit(file string, data []byte, base string, a generator.Approval) (*edited, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, inputErr("%s: %w", file, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, inputErr("%s: not an environment spec (a YAML mapping)", file)
	}
	root := doc.Content[0]
	if root.Style&yaml.FlowStyle != 0 {
		return nil, inputErr("%s: the spec is written as a flow mapping ({...}); write it in block style to use fluxtf approve", file)
	}
	lines := strings.SplitAfter(string(data), "\n")
	var key, list *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "approvals" {
			key, list = root.Content[i], root.Content[i+1]
		}
	}
	norm := func(c string) string {
		if c == "base" {
			return base
		}
		return c
	}
	switch {
	case key == nil: // a new approvals list at the end
		text := string(data)
		if text != "" && !strings.HasSuffix(text, "\n") {
			text += "\n"
		}
		line := strings.Count(text, "\n") + 1
		text += "approvals:\n" + entry(a, 2, false)
		return &edited{data: []byte(text), line: line + 1 + planOffset(a)}, nil
	case list.Kind == yaml.SequenceNode && list.Style&yaml.FlowStyle == 0:
		for _, item := range list.Content {
			if item.Kind != yaml.MappingNode {
				continue
			}
			f := fields(item)
			if f["target"] == nil || f["target"].Value != a.Target || norm(value(f["component"])) != norm(a.Component) {
				continue
			}
			p := f["plan"]
			if p == nil || p.Kind != yaml.ScalarNode {
				return nil, inputErr("%s:%d: this approval has no plan; set it by hand", file, item.Line)
			}
			out, err := replaceScalar(lines, p, a.Plan)
			if err != nil {
				return nil, inputErr("%s:%d:%d: %v; set the plan id by hand", file, p.Line, p.Column, err)
			}
			return &edited{data: []byte(out), line: p.Line}, nil
		}
		last := list.Content[len(list.Content)-1]
		end := lineedit.LastLine(last)
		dash := strings.LastIndex(lines[last.Line-1][:lineedit.RuneOffset(lines[last.Line-1], last.Column)], "-")
		if dash < 0 {
			return nil, inputErr("%s:%d: cannot tell the indentation of the approvals list; add the approval by hand", file, last.Line)
		}
		flow := last.Kind == yaml.MappingNode && last.Style&yaml.FlowStyle != 0
		lines = lineedit.Insert(lines, end, entry(a, dash, flow))
		return &edited{data: []byte(strings.Join(lines, "")), line: end + 1 + planOffset2(a, flow)}, nil
	case list.Kind == yaml.ScalarNode && list.Tag == "!!null" && list.Value == "",
		list.Kind == yaml.SequenceNode && len(list.Content) == 0:
		// "approvals:" or "approvals: []": the list starts on the next line
		l := lines[key.Line-1]
		if list.Kind == yaml.SequenceNode {
			off := lineedit.RuneOffset(lines[list.Line-1], list.Column)
			if list.Line != key.Line || !strings.HasPrefix(l[off:], "[]") {
				return nil, inputErr("%s:%d: cannot edit the approvals list; write it as a block list", file, key.Line)
			}
			l = strings.TrimRight(l[:off], " ") + l[off+2:]
			if !strings.HasSuffix(l, "\n") {
				l += "\n"
			}
			lines[key.Line-1] = l
		} else if !strings.HasSuffix(l, "\n") {
			lines[key.Line-1] = l + "\n"
		}
		ind := lineedit.RuneOffset(l, key.Column) + 2
		lines = lineedit.Insert(lines, key.Line, entry(a, ind, false))
		return &edited{data: []byte(strings.Join(lines, "")), line: key.Line + 1 + planOffset(a)}, nil
	}
	return nil, inputErr("%s:%d: approvals is not a block list; write it as one (- target: …) to use fluxtf approve", file, key.Line)
}

func fields(m *yaml.Node) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		out[m.Content[i].Value] = m.Content[i+1]
	}
	return out
}

func value(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	return n.Value
}

// entry is the text of a new approvals item whose "-" is at column ind
// (from 0): a block mapping, or a flow mapping when the list's items are.
func entry(a generator.Approval, ind int, flow bool) string {
	pad := strings.Repeat(" ", ind)
	kv := [][2]string{{"target", a.Target}}
	if a.Component != "" {
		kv = append(kv, [2]string{"component", a.Component})
	}
	kv = append(kv, [2]string{"plan", a.Plan})
	var b strings.Builder
	if flow {
		parts := make([]string, len(kv))
		for i, p := range kv {
			parts[i] = p[0] + ": " + scalar(p[1])
		}
		b.WriteString(pad + "- {" + strings.Join(parts, ", ") + "}\n")
		return b.String()
	}
	for i, p := range kv {
		lead := pad + "  "
		if i == 0 {
			lead = pad + "- "
		}
		b.WriteString(lead + p[0] + ": " + scalar(p[1]) + "\n")
	}
	return b.String()
}

// planOffset is the line of the plan within a block entry, from 0.
func planOffset(a generator.Approval) int {
	if a.Component != "" {
		return 2
	}
	return 1
}

func planOffset2(a generator.Approval, flow bool) int {
	if flow {
		return 0
	}
	return planOffset(a)
}

// scalar writes s as a YAML scalar (quoted when it needs it).
func scalar(s string) string {
	b, err := yaml.Marshal(s)
	if err != nil {
		return fmt.Sprintf("%q", s)
	}
	return strings.TrimSuffix(string(b), "\n")
}

// replaceScalar replaces the single-line scalar n in lines with v.
func replaceScalar(lines []string, n *yaml.Node, v string) (string, error) {
	if n.Line < 1 || n.Line > len(lines) {
		return "", errors.New("the plan id is not where the parser says")
	}
	l := lines[n.Line-1]
	off := lineedit.RuneOffset(l, n.Column)
	var text string
	switch n.Style {
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		q := l[off]
		end := strings.IndexByte(l[off+1:], q)
		if end < 0 {
			return "", errors.New("the plan id spans lines")
		}
		text = l[off : off+end+2]
	case 0:
		text = n.Value
	default:
		return "", errors.New("the plan id is a block scalar")
	}
	if !strings.HasPrefix(l[off:], text) {
		return "", errors.New("the plan id is not written on one line")
	}
	lines[n.Line-1] = l[:off] + scalar(v) + l[off+len(text):]
	return strings.Join(lines, ""), nil
}
