// Package parallel runs independent pieces of work on every CPU: reading
// and checking manifests, converting them into policy input.
package parallel
