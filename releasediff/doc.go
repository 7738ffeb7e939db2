// Package releasediff says what a change does to each cluster in the
// platform team's words: per environment and target, the module tag, the
// Kubernetes minor, the node OS and each component's version before and
// after, and the components added or removed. It compares rendered output
// (the committed output root at a baseline git ref against the specs
// rendered in memory), so it reads what Flux applies, not the YAML diff.
// Each line carries the policy verdict of the findings that concern it
// (Attach). `fluxtf diff` prints it.
package releasediff
