//go:build !race

package main

// raceMemFactor is 1 without the race detector (see race_on_test.go).
const raceMemFactor = 1
