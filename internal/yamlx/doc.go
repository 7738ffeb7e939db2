// Package yamlx reads YAML strictly and remembers where every value came from.
//
// It parses documents into a small position-carrying tree (Node), expands
// aliases and merge keys under a node budget (so an alias bomb fails fast
// with bounded memory), refuses duplicate keys, binary or non-UTF-8 input
// and runaway nesting, deep-merges trees (maps merge, lists replace, scalars
// override) while keeping each value's own file and line, and decodes a tree
// into Go structs by their json tags with no silent coercion: an unknown
// field, a wrong type or an out-of-range number is an *Error naming
// file:line:column and the field path.
package yamlx
