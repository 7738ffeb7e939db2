//go:build !race

package main

// raceMemFactor is 1 without the race detector (see race_on_test.go).
const raceMemFactor = 1

// raceEnabled says whether the tests run under the race detector.
const raceEnabled = false
