// Package finding holds the types every part of a validation run shares:
// the rules, the findings they produce and the report that collects them.
// Policies produce findings, report formats print them.
package finding
