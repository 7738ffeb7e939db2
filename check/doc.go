// Package check is what the pre-commit hook and the pull-request check run:
// render every environment in memory, report drift against the committed
// output, and validate the rendered and hand-written manifests together
// against a baseline git ref, in one run with one outcome. The validation
// is package pipeline's, as `fluxtf validate`'s: the tree is validated as
// it is on disk while the specs render and, when rendering changes it,
// again in memory with the rendered output in place (runinput.Overlay).
package check
