# METADATA
# scope: package
# title: The function app's Python version is not close to its end of support
# description: >-
#   Upgrading a function app's Python version needs its code and
#   dependencies tested on the new version in dev and uat first, so the
#   upgrade should start well before Azure Functions retires the version.
#   The rule warns when the end of support of an ocm-client Terraform's
#   `python_version` (templates/functions-python.yaml) is at most `warnDays`
#   days (180) after the day of the run; once past, it is
#   `functions-python-supported`. Under conftest, which passes no date, it
#   finds nothing.
# custom:
#   id: functions-python-end-of-support
#   severity: warn
#   summary: >-
#     (ocm-client) `python_version`'s end of support is at most `warnDays`
#     (180) days after the run's day
#   fix: >-
#     Plan the upgrade: set `functionApp.pythonVersion` to a newer version in
#     dev, then uat, then prod, before the date in the message.
package fluxtf.rules.functions_python_end_of_support

import data.fluxtf.lib

rule_id := "functions-python-end-of-support"

day_ns := (24 * 60) * 60000000000

warn contains lib.result(rule_id, f.r, lib.var_field(i), msg) if {
	some f in lib.ocm_tf_facts
	i := f.y.vm.python_version
	v := f.vs[i].value
	eos := lib.python_runtimes.versions[v]
	end := time.parse_ns("2006-01-02", eos)
	lib.today_ns <= end
	days := (end - lib.today_ns) / day_ns
	days <= lib.python_runtimes.warnDays
	msg := sprintf(
		"Terraform %q runs Python %s, whose support in Azure Functions ends on %s (%d days from now); plan the upgrade of functionApp.pythonVersion",
		[f.name, v, eos, days],
	)
}
