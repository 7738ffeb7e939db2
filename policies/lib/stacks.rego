# The stack model for the rules (docs/policies.md, "Stacks and policy
# families"): which policy families check an object, the stacks other than
# jeppesen-eks, and the prefix of each stack's GitRepository names.
#
# A stack's catalogue (templates/stacks/<stack>.yaml) lists its policy
# families (`policies: [common, eks]`); the generator writes them into the
# annotation fluxtf.io/policies of every object ("common,eks") and the
# catalogue's sourcePrefix into fluxtf.io/source-prefix of its
# GitRepository. The EKS rules check the jeppesen-eks stack's objects (see
# "Stack membership" in lib.rego); the rules of the ocm-client family check
# the objects whose families list ocm-client. Nothing here is read when
# every object is of the jeppesen-eks stack (the rendered EKS fleet), so
# the EKS fast paths stay as they are.
package fluxtf.lib

annotation_policies := "fluxtf.io/policies"

annotation_source_prefix := "fluxtf.io/source-prefix"

ocm_stack := "ocm-client"

# stack_default_families: the families of an object without the
# fluxtf.io/policies annotation, by its fluxtf.io/stack label (the
# embedded catalogues say the same).
stack_default_families := {
	"jeppesen-eks": {"common", "eks"},
	"ocm-client": {"common", "ocm-client"},
}

# families(o): the policy families of object o: its annotation's
# comma-separated list, else its stack label's defaults, else none.
families(o) := {trim_space(x) | some x in split(v, ","); trim_space(x) != ""} if {
	v := annotation(o, annotation_policies)
} else := fs if {
	fs := stack_default_families[label(o, label_stack)]
} else := set()

# _other_stack(x): the shape x (a fact's "x") is labelled with a stack
# other than jeppesen-eks.
_other_stack(x) if {
	x.stack != ""
	x.stack != eks_stack
}

other_stacks_present if {
	some x in tf_shapes
	_other_stack(x)
}

other_stacks_present if {
	some x in git_shapes
	_other_stack(x)
}

# family_tf_facts(fam): the Terraform facts of stacks other than
# jeppesen-eks whose families list fam.
family_tf_facts(fam) := [f |
	other_stacks_present
	some f in tf_facts
	_other_stack(f.x)
	fam in families(f.r.obj)
]

# ocm_tf_facts: the Terraforms the ocm-client rules check.
default ocm_tf_facts := []

ocm_tf_facts := family_tf_facts(ocm_stack) if other_stacks_present

# other_stack_git_facts: the GitRepositories of stacks other than
# jeppesen-eks in the common family: they follow the same naming and
# ref-by-tier rules, with their own prefix.
default other_stack_git_facts := []

other_stack_git_facts := [g |
	some g in git_facts
	_other_stack(g.x)
	"common" in families(g.r.obj)
] if other_stacks_present

# tiered_git_facts, tiered_git_shapes: the GitRepositories that
# source-name-prefix and ref-by-tier check: the jeppesen-eks stack's and
# the other stacks' of the common family.
tiered_git_facts := stack_git_facts if {
	count(other_stack_git_facts) == 0
} else := array.concat(stack_git_facts, other_stack_git_facts)

tiered_git_shapes := stack_git_shapes if {
	count(other_stack_git_facts) == 0
} else := stack_git_shapes | {g.x | some g in other_stack_git_facts}

# source_prefix(g): the prefix the names of GitRepository fact g's stack
# start with: its fluxtf.io/source-prefix annotation, else its stack's
# name (jeppesen-eks for the EKS stack's unlabelled objects).
source_prefix(g) := p if {
	p := annotation(g.r.obj, annotation_source_prefix)
} else := stack_name_of(g)

# stack_name_of(g): the stack label of fact g, or jeppesen-eks when it has
# none (an unlabelled object counts only when it is the EKS stack's).
stack_name_of(g) := g.x.stack if {
	g.x.stack != ""
} else := eks_stack

# python_runtimes: Azure Functions' Python versions and their end of
# support, from context.pythonRuntimes (templates/functions-python.yaml,
# which the engine passes); under conftest, the same table, held equal to
# the template by TestPythonRuntimesMatchTemplate.
python_runtimes := r if {
	r := context.pythonRuntimes
	is_object(r)
} else := {
	"warnDays": 180,
	"versions": {
		"3.7": "2023-06-27",
		"3.8": "2024-10-07",
		"3.9": "2025-10-31",
		"3.10": "2026-10-31",
		"3.11": "2027-10-31",
		"3.12": "2028-10-31",
		"3.13": "2029-10-31",
	},
}

# today_ns: the day the run checks dates against (context.today, which
# the engine sets from the run's clock), as nanoseconds. Undefined under
# conftest, which passes no context: the embedded rules read no clock
# (they run in the same sandbox as user policies), so the date rules
# find nothing there.
today_ns := time.parse_ns("2006-01-02", context.today) if {
	is_string(context.today)
	regex.match(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, context.today)
}

# baseline_tiered_git_facts, baseline_tiered_git_shapes: the same of the
# baseline.
_baseline_other_present if {
	some g in baseline_git_facts
	_other_stack(g.x)
}

default baseline_other_stack_git_facts := []

baseline_other_stack_git_facts := [g |
	some g in baseline_git_facts
	_other_stack(g.x)
	"common" in families(g.r.obj)
] if _baseline_other_present

baseline_tiered_git_facts := baseline_stack_git_facts if {
	count(baseline_other_stack_git_facts) == 0
} else := array.concat(baseline_stack_git_facts, baseline_other_stack_git_facts)

baseline_tiered_git_shapes := baseline_stack_git_shapes if {
	count(baseline_other_stack_git_facts) == 0
} else := baseline_stack_git_shapes | {g.x | some g in baseline_other_stack_git_facts}
