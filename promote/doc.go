// Package promote is `fluxtf promote`: it edits the specs of the next tier
// (uat, prod) to take the release of the tier before it (the module tag,
// component versions, node OS, and the Kubernetes minor one step at a
// time) with the records of the step it takes (migration markers and
// guides, rollbacks: markers.go), changing only the lines it must so
// comments and layout stay,
// checks the result with the policies before anything is written, and
// renders the edited environments.
package promote
