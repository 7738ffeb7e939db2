//go:build race

package main

// raceMemFactor widens the peak-memory bounds of TestBadInput under the
// race detector, which costs its shadow memory on every allocation; the
// plain `make test` run holds the real bounds.
const raceMemFactor = 3

// raceEnabled says whether the tests run under the race detector.
const raceEnabled = true
