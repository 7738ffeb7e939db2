package generator

import (
	"fmt"
	"sort"
	"strings"
)

// Move records that a target or the environment itself was renamed.
// Renaming renders new object names, but the objects deploy the same
// cluster: with the move recorded, the cluster keeps its name (the
// cluster_name var) and its Terraform state keeps its key, and the renamed
// objects carry the annotations fluxtf.io/moved-from (their former names)
// and fluxtf.io/moved-reason, which the rule identity-moved accepts. Keep
// the entry for as long as the cluster lives, as Terraform's moved blocks.
type Move struct {
	// From is the former name: of a target (its targets[].name, or <account>-<region> when it had none), or of this environment.
	From string `json:"from" jsonschema:"maxLength=63"`
	// To is the name now: a target's name, this environment's name, or the from of a later move (a rename renamed again).
	To string `json:"to" jsonschema:"maxLength=63"`
	// Reason says why, for the reviewer (rendered in the annotation fluxtf.io/moved-reason).
	Reason string `json:"reason"`
}

// moveChain is what the moves say about one current name: its former
// names, most recent first, and the reasons, in the same order.
type moveChain struct {
	former  []string
	reasons []string
}

// original is the name the chain started from: the oldest former name,
// or name itself when it was never renamed.
func (m moveChain) original(name string) string {
	if len(m.former) == 0 {
		return name
	}
	return m.former[len(m.former)-1]
}

// movesTo follows the moves back from name: the chain of names it had.
// The checker has refused cycles and two moves into one name.
func movesTo(e *Environment, name string) moveChain {
	var m moveChain
	for range e.Moved {
		i := slicesIndex(e.Moved, func(mv Move) bool { return mv.To == name })
		if i < 0 {
			break
		}
		name = e.Moved[i].From
		m.former = append(m.former, name)
		m.reasons = append(m.reasons, e.Moved[i].Reason)
	}
	return m
}

func slicesIndex(ms []Move, f func(Move) bool) int {
	for i, m := range ms {
		if f(m) {
			return i
		}
	}
	return -1
}

// originalEnvName is the environment's name before any recorded rename:
// what its cluster names and state keys stay derived from.
func originalEnvName(e *Environment) string {
	return movesTo(e, e.Name).original(e.Name)
}

// originalTargetName is the target's name before any recorded rename.
func originalTargetName(e *Environment, t Target) string {
	return movesTo(e, t.ID()).original(t.ID())
}

// movedFrom is the annotations of an object with the current name whose
// former names are made by name from each former environment and target
// name: fluxtf.io/moved-from lists them (sorted, comma-separated),
// fluxtf.io/moved-reason the reasons. Nil when nothing moved.
func movedFrom(e *Environment, target string, name func(env, target string) string) (from, reason string) {
	envs := movesTo(e, e.Name)
	targets := moveChain{}
	if target != "" {
		targets = movesTo(e, target)
	}
	if len(envs.former) == 0 && len(targets.former) == 0 {
		return "", ""
	}
	current := name(e.Name, target)
	seen := map[string]bool{current: true}
	var names []string
	for _, en := range append([]string{e.Name}, envs.former...) {
		for _, tn := range append([]string{target}, targets.former...) {
			if n := name(en, tn); !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	sort.Strings(names)
	reasons := append(append([]string(nil), targets.reasons...), envs.reasons...)
	return strings.Join(names, ", "), strings.Join(reasons, "; ")
}

// moves checks the moved entries: each names a former name and a current
// one (a target, the environment, or the from of another entry), with a
// reason; no name is moved to twice and no chain loops.
func (c *checker) moves(e *Environment) {
	if len(e.Moved) == 0 {
		return
	}
	targets := map[string]bool{}
	for _, t := range e.Targets {
		targets[t.ID()] = true
	}
	froms := map[string]int{}
	tos := map[string]int{}
	for i, m := range e.Moved {
		p := fmt.Sprintf("moved[%d]", i)
		switch {
		case m.From == "":
			c.add(p+".from", "is required: the former name of a target or of this environment")
		case !dnsLabel.MatchString(m.From):
			c.add(p+".from", "%q is not a DNS-1123 label", m.From)
		case m.From == m.To:
			c.add(p+".to", "is the same as from; remove the entry")
		case m.From == e.Name || targets[m.From]:
			c.add(p+".from", "%q is a name in use in this spec: a move's from is the name before the rename", m.From)
		}
		if j, dup := froms[m.From]; dup && m.From != "" {
			c.add(p+".from", "%q is moved already by moved[%d]; keep one entry", m.From, j)
		}
		froms[m.From] = i
		switch j, dup := tos[m.To]; {
		case m.To == "":
			c.add(p+".to", "is required: the name now, of a target or of this environment")
		case !dnsLabel.MatchString(m.To):
			c.add(p+".to", "%q is not a DNS-1123 label", m.To)
		case dup:
			c.add(p+".to", "moved[%d] renames another name to %q too; two objects cannot become one", j, m.To)
		}
		tos[m.To] = i
		if strings.TrimSpace(m.Reason) == "" {
			c.add(p+".reason", "is required: say why the rename is safe (the reviewer sees it on the renamed objects)")
		}
	}
	if e.Name != "" && targets[e.Name] {
		c.add("name", "%q is the name of a target too: moved entries could not tell them apart; give the target another name", e.Name)
	}
	for i, m := range e.Moved {
		// follow to until it names the environment or a target
		name, steps := m.To, 0
		for name != e.Name && !targets[name] && steps <= len(e.Moved) {
			j, ok := froms[name]
			if !ok {
				break
			}
			name, steps = e.Moved[j].To, steps+1
		}
		if m.To != "" && dnsLabel.MatchString(m.To) && m.To != m.From && name != e.Name && !targets[name] {
			c.add(fmt.Sprintf("moved[%d].to", i), "%q names no target of this spec (%s), nor this environment (%s), nor the from of another entry", m.To, strings.Join(sortedKeys(targets), ", "), e.Name)
		}
	}
}
