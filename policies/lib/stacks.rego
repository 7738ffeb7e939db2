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

eks_family := "eks"

# stack_default_families: the families of an object without the
# fluxtf.io/policies annotation, by its fluxtf.io/stack label: its
# catalogue's `policies:` (data.fluxtf.catalogue.stacks, generated from
# templates/stacks/*.yaml).
stack_default_families := {s: {f | some f in st.policies} | some s, st in data.fluxtf.catalogue.stacks}

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
	# annotation(g.r.obj, ...) spelt out: a call is cached by its
	# arguments, an entry per object
	p := g.r.obj.metadata.annotations[annotation_source_prefix]
	is_string(p)
	trim_space(p) != ""
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

# ---------------------------------------------------------------------------
# Policy families: which rules check an object.
#
# A family's rules check the objects whose families list it, whatever
# their stack: in_family(o, "eks") holds for an object of jeppesen-eks
# (whose catalogue lists eks) and for one of any other stack whose
# fluxtf.io/policies annotation (or catalogue) lists eks, and never for an
# ocm-client object. An object without the stack label counts only when
# the stack membership above ("Stack membership" in lib.rego) makes it
# jeppesen-eks's; then its families are its annotation's, else that
# stack's. A rule of family fam selects its objects with in_family, or
# with the fact lists below (eks_tf_facts, eks_base_facts, eks_git_facts
# and their baseline twins), which take the EKS fast path: when every
# Terraform and GitRepository is labelled jeppesen-eks and no policies
# annotation leaves eks out (the rendered EKS fleet), they are tf_facts,
# base_facts and git_facts themselves.

# in_family(o, fam): the rules of policy family fam check object o.
in_family(o, fam) if fam in object_families(o)

# object_families(o): the policy families that check object o (see above).
object_families(o) := families(o) if {
	label(o, label_stack)
} else := _claimed_families(o) if {
	stack(o) == eks_stack
} else := set()

# _claimed_families(o): the families of an unlabelled object that the
# stack membership gives to jeppesen-eks.
_claimed_families(o) := families(o) if {
	annotation(o, annotation_policies)
} else := object.get(stack_default_families, eks_stack, set())

# _fact_in_family(f, fam, idx, refs): in_family for a Terraform or
# GitRepository fact f of a set whose fact index is idx and whose
# jeppesen-eks Terraforms use the sources refs (as _stack_tf_in).
_fact_in_family(f, fam, _, _) if {
	f.x.stack != ""
	fam in families(f.r.obj)
}

_fact_in_family(f, fam, idx, refs) if {
	f.x.stack == ""
	f.kind == "Terraform"
	_stack_tf_in(f, idx, refs)
	fam in _claimed_families(f.r.obj)
}

_fact_in_family(f, fam, _, refs) if {
	f.x.stack == ""
	f.kind == "GitRepository"
	_stack_git_in(f, refs)
	fam in _claimed_families(f.r.obj)
}

# _tf_policies, _git_policies, _baseline_git_policies,
# _baseline_base_policies: the distinct raw values of the policies
# annotation of the Terraforms, GitRepositories, baseline GitRepositories
# and baseline base Terraforms ("" when absent). (Rules, not a function
# of the fact list: a function's arguments would be hashed for its cache.)
# (The annotation is read inline: a function call for each fact costs
# several times the look-up.)
_tf_policies := _given_set("tf_policies") if {
	_given_set("tf_policies")
} else := {object.get(f.r.obj, ["metadata", "annotations", annotation_policies], "") | some f in tf_facts}

_git_policies := _given_set("git_policies") if {
	_given_set("git_policies")
} else := {object.get(g.r.obj, ["metadata", "annotations", annotation_policies], "") | some g in git_facts}

_baseline_git_policies := {object.get(g.r.obj, ["metadata", "annotations", annotation_policies], "") | some g in baseline_git_facts}

_baseline_base_policies := {object.get(f.r.obj, ["metadata", "annotations", annotation_policies], "") | some f in baseline_base_facts}

# _all_in(shapes, values, fam): every shape is labelled jeppesen-eks (whose
# catalogue lists fam) and every policies annotation value, if any, lists
# fam: the fast path, where a family's facts are all the facts.
_all_in(shapes, values, fam) if {
	every x in shapes {
		x.stack == eks_stack
	}
	fam in object.get(stack_default_families, eks_stack, set())
	every v in values {
		_lists(v, fam)
	}
}

_lists("", _)

_lists(v, fam) if {
	is_string(v)
	fam in {trim_space(x) | some x in split(v, ",")}
}

# eks_tf_facts, eks_git_facts: the Terraforms and GitRepositories of the
# eks family; eks_tf_shapes their shapes; eks_base_facts the base
# Terraforms among them and eks_base_oses their [tier, os] pairs.
eks_tf_facts := tf_facts if {
	_all_in(tf_shapes, _tf_policies, eks_family)
} else := [f | some f in tf_facts; _fact_in_family(f, eks_family, fact_index, eks_referenced_sources)]

eks_git_facts := git_facts if {
	_all_in(git_shapes, _git_policies, eks_family)
} else := [g | some g in git_facts; _fact_in_family(g, eks_family, fact_index, eks_referenced_sources)]

_eks_all_tf if count(eks_tf_facts) == count(tf_facts)

eks_tf_shapes := tf_shapes if {
	_eks_all_tf
} else := {f.x | some f in eks_tf_facts}

eks_base_facts := base_facts if {
	_eks_all_tf
} else := [f | some f in eks_tf_facts; f.x.base]

eks_base_oses := base_oses if {
	_eks_all_tf
} else := {[f.x.tier, f.vs[i].value] | some f in eks_base_facts; i := f.y.vm.os}

# eks_base_k8s: {"f", "index", "value", "minor"} of the eks base Terraforms
# whose last kubernetes_version var has an inline value of a Kubernetes
# minor (k8s_minor), each read once for the rules that compare it (what
# fvar and k8s_minor give: a rule calling them itself pays a cached call
# per object). eks_base_k8s_by_minor: minor -> those entries (few keys), so
# that a rule looks a minor up once, and its objects only when it fires.
eks_base_k8s := [{"f": f, "index": i, "value": v, "minor": m} |
	some f in eks_base_facts
	i := f.y.vm.kubernetes_version
	v := f.vs[i].value
	m := k8s_minor(v)
]

eks_base_k8s_by_minor := {m: [e | some e in eks_base_k8s; e.minor == m] | some m in {e.minor | some e in eks_base_k8s}}

# baseline_eks_git_facts, baseline_eks_base_facts: the same of the
# baseline.
baseline_eks_git_facts := baseline_git_facts if {
	_all_in(_baseline_git_shapes, _baseline_git_policies, eks_family)
} else := [g | some g in baseline_git_facts; _fact_in_family(g, eks_family, baseline_fact_index, baseline_eks_referenced_sources)]

baseline_eks_base_facts := baseline_base_facts if {
	_all_in(_baseline_base_shapes, _baseline_base_policies, eks_family)
} else := [f | some f in baseline_base_facts; _fact_in_family(f, eks_family, baseline_fact_index, baseline_eks_referenced_sources)]

# common_tf_facts, common_tf_shapes: the Terraforms of the common family
# (account-by-tier: the jeppesen-eks stack's, and ocm-client's) and their
# shapes.
common_tf_facts := tf_facts if {
	_all_in(tf_shapes, _tf_policies, "common")
} else := [f | some f in tf_facts; _fact_in_family(f, "common", fact_index, eks_referenced_sources)]

common_tf_shapes := tf_shapes if {
	count(common_tf_facts) == count(tf_facts)
} else := {f.x | some f in common_tf_facts}

# eks_baseline_tf(b): the baseline Terraform fact b is of the eks family
# (prod-removal's scope): labelled, by its families; unlabelled, when it
# is the jeppesen-eks stack's by what it says itself.
eks_baseline_tf(b) if {
	b.x.stack != ""
	eks_family in families(b.r.obj)
}

eks_baseline_tf(b) if {
	b.x.stack == ""
	_own_tf(b)
	eks_family in _claimed_families(b.r.obj)
}
