// Package check is what the pre-commit hook and the pull-request check run:
// render every environment in memory, report drift against the committed
// output, and validate the rendered and hand-written manifests together
// against a baseline git ref, in one run with one outcome.
package check
