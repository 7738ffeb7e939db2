# METADATA
# scope: package
# title: The function app runs a Python version Azure Functions still supports
# description: >-
#   Azure Functions retires a Python version on its end-of-life date: a
#   function app on it keeps running but gets no security patches, fixes or
#   support until it is upgraded (Azure Functions language runtime support
#   policy). The `python_version` variable of an ocm-client Terraform must
#   be a version in the table `templates/functions-python.yaml` (end-of-
#   support dates and their sources) whose end of support has not passed on
#   the day of the run: Python 3.8 ended on 2024-10-07, 3.9 on 2025-10-31.
#   The rule checks the Terraforms whose policy families include
#   `ocm-client`. The date comes from the run (`context.today`); under
#   conftest, which passes none, only an unknown version is reported.
#   `functions-python-end-of-support` warns before the date.
# custom:
#   id: functions-python-supported
#   severity: deny
#   summary: >-
#     (ocm-client) `python_version` is a version of
#     `templates/functions-python.yaml` whose end of support (Azure Functions,
#     with the source URLs there) has not passed on the run's day
#     (`context.today`): 3.8 ended 2024-10-07; under conftest (no date) only
#     an unknown version
#   fix: >-
#     Set `functionApp.pythonVersion` in the spec to a supported version (the
#     newest in templates/functions-python.yaml, such as "3.12"), test the
#     function app on it in dev and uat, and render.
package fluxtf.rules.functions_python_supported

import data.fluxtf.lib

rule_id := "functions-python-supported"

day_ns := (24 * 60) * 60000000000

# _versions: [fact, var index, version] of every ocm-client Terraform that
# sets python_version.
_versions contains [f, i, v] if {
	some f in lib.ocm_tf_facts
	i := f.y.vm.python_version
	v := f.vs[i].value
}

deny contains lib.result(rule_id, f.r, lib.var_field(i), msg) if {
	some [f, i, v] in _versions
	not lib.python_runtimes.versions[v]
	msg := sprintf(
		"Terraform %q runs Python %s, which is not a version Azure Functions runs (known: %s); set functionApp.pythonVersion to a supported one",
		[f.name, lib.show(v), concat(", ", sort(object.keys(lib.python_runtimes.versions)))],
	)
}

deny contains lib.result(rule_id, f.r, lib.var_field(i), msg) if {
	some [f, i, v] in _versions
	eos := lib.python_runtimes.versions[v]
	lib.today_ns > time.parse_ns("2006-01-02", eos)
	msg := sprintf(
		"Terraform %q runs Python %s, whose support in Azure Functions ended on %s: no security patches or fixes; move functionApp.pythonVersion to a supported version such as %q",
		[f.name, v, eos, newest],
	)
}

# newest: the supported version with the latest end of support.
newest := v if {
	vs := lib.python_runtimes.versions
	last := max({d | some d in vs})
	some v, d in vs
	d == last
}
