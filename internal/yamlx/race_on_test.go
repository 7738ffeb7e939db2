//go:build race

package yamlx

// raceOn: the race detector drops sync.Pool entries at random, so the
// tests do not count allocations under it.
const raceOn = true
