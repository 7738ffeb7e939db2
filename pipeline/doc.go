// Package pipeline is the one orchestrator of a validation, shared by
// `fluxtf validate` (Validate) and `fluxtf check` (a Run per check, which
// may validate the tree twice: as it is on disk, then with the rendered
// output overlaid). It reads the run's input through internal/runinput
// (manifests, strict decoding and schema, the baseline from a folder or a
// git ref, the one budget), hands it to the policy engine, which only
// evaluates (policies.Engine.Evaluate: documents, baseline documents and
// options in, findings out), and assembles the report: the files read,
// the notes of reading (the baseline's first) and of the rules skipped
// for want of a baseline, in the CLI's words. Both commands therefore
// meet the same situations (no commits, a bad baseline ref, a huge or
// bad baseline file, a symbolic link in a git baseline, the budget flags)
// with the same note or error.
package pipeline
