package fluxtf.rules.component_version_pinned_test

import data.fluxtf.rules.component_version_pinned as rule
import data.fluxtf.test as t

with_karpenter(v) := array.concat(t.env("uat"), [t.karpenter("uat", v)])

test_moving_versions_denied if {
	every v in ["latest", "stable", "~1.1", ">=1.0.0", "1.x", "1.1", "", 1.1] {
		t.fields(rule.deny) == {"spec.vars[2].value"} with input as t.input_of(with_karpenter(v))
	}
}

test_message if {
	some x in rule.deny with input as t.input_of(with_karpenter("latest"))
	contains(x.msg, `sets karpenter_version to "latest"`)
}

test_pinned_versions_pass if {
	every v in ["1.1.0", "v1.1.0", "1.1.0-rc.1", "v1.37.0-eksbuild.1"] {
		count(rule.deny) == 0 with input as t.input_of(with_karpenter(v))
	}
}

test_unknown_components_not_checked if {
	c := t.component("uat", "in-house", [{"name": "chart_version", "value": "latest"}])
	count(rule.deny) == 0 with input as t.input_of(array.concat(t.env("uat"), [c]))
}
