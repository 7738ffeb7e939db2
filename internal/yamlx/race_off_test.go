//go:build !race

package yamlx

// raceOn: see race_on_test.go.
const raceOn = false
