// Package report prints a finding.Report in the formats the CLI offers with
// --output: text for people, json for scripts, sarif for GitHub code
// scanning and other SARIF 2.1.0 consumers, github for workflow-command
// annotations on pull requests, junit for CI test reporters, and markdown
// for a GitHub Actions job summary.
//
// Every format prints findings in the order finding.Report.Sort defines
// (file, line, column, rule, message) and rules sorted by id. Write sorts a
// copy: the caller's report is left untouched. Output is deterministic: no
// timestamps, no map iteration order, the same bytes on every machine.
//
// Machine formats (json, sarif, github, junit) are meant for stdout; the CLI
// keeps progress and status on stderr.
//
// # Formats
//
// text: one line per finding, "file:line:col: severity rule: message".
// ":col" is left out when the column is unknown (0), "file:line:" when the
// finding has no file. Waived findings print severity "waived" and end in
// "(waived until YYYY-MM-DD: reason)". Continuation lines of a multi-line
// message are indented by four spaces. Then the notes as "note: ..." lines,
// then, unless Options.Quiet, the summary
// "N deny, N warn, N waived in N objects from N files". With Options.Color
// deny is red, warn yellow and a waived line dim (ANSI SGR codes).
//
// json: an object with "version" (1, the version of this layout), "tool",
// "toolVersion" (when known), "summary", "findings", "notes" and "rules".
// findings, notes and rules are always arrays. Each finding always carries
// rule, severity, message, file, line, kind, name, namespace and waived
// (empty string, 0 or false when unknown); column, apiVersion, field and
// waiver appear when set. A waived finding keeps its own severity and has
// "waived": true and a "waiver" object. The findings and rules decode into
// finding.Finding and finding.Rule.
//
// sarif: SARIF 2.1.0 with a single run. Every rule that ran is in
// tool.driver.rules, plus a minimal entry for each rule id that produced a
// finding without being listed (schema, waiver-expired, user policies), so
// every result's ruleId and ruleIndex resolve. deny maps to level "error",
// warn to "warning". Waived findings are results with an external
// suppression whose justification is the waiver's reason. Paths are given
// with forward slashes relative to %SRCROOT% (absolute paths become file://
// URIs). The region is left out when the line is unknown. Findings without a
// file cannot be results — GitHub code scanning rejects a whole upload when
// one result has no location — so they are reported as
// invocations[0].toolExecutionNotifications with their associatedRule.
// partialFingerprints.primaryLocationLineHash is a hash of rule, file, kind,
// namespace, name and field plus an occurrence number, so an alert follows
// its object when lines move; GitHub uses only that key.
//
// github: one workflow command per finding, ::error for deny, ::warning for
// warn and ::notice for waived findings, with file, line, col and title (the
// rule id) properties, then one ::notice:: per note and a ::notice:: summary.
// Values are escaped as the runner requires (% \r \n, and : , in
// properties). Options.Quiet applies to text only.
//
// junit: <testsuites> holding one <testsuite name="fluxtf"> with one
// <testcase classname="RULE-ID"> per rule that ran or produced a finding.
// Each unwaived deny finding is a <failure type="deny">; warn and waived
// findings are listed in the test case's <system-out>; notes go to the
// suite's <system-out>. "tests" counts test cases and "failures" counts the
// test cases with at least one failure.
//
// markdown: a short summary for a job summary ($GITHUB_STEP_SUMMARY): a
// "### ✅ fluxtf passed" or "### ❌ fluxtf failed" heading, the summary line
// (with the tool version when known), a table of the unwaived deny and warn
// findings other than render drift (deny first, "file:line", rule, message),
// the files with render drift, and the notes. The table and the file list
// stop after MarkdownMaxRows entries and say how many were left out.
// Messages are escaped so that they cannot start Markdown or HTML markup;
// text between backticks stays a code span. WriteFile appends it to a
// summary file, and AppendMarkdownError records a run that failed before it
// had a report.
package report
