// Package runinput reads what one `fluxtf validate` or `fluxtf check` run
// evaluates, the same way for both: the manifests at the run's paths (from
// the disk, or from an Overlay of rendered files over the disk's), their
// strict decoding and schema check (manifest.Set.Check), and the baseline
// (internal/baseline: a folder or a git ref), read once per run however
// many times the manifests are, all under the run's one budget
// (--max-input-bytes, --max-objects). A Reader gives back what a read
// whose result is dropped took (Refund).
//
// It knows nothing of the policies: package pipeline hands what it reads
// to the engine (policies.Engine.Evaluate), and the policies' own tests
// read their fixtures through it too.
package runinput
