// Package racedetect says whether the program was built with the race
// detector (go build -race), for tests whose measurements it distorts:
// it drops sync.Pool entries at random and adds shadow memory to every
// allocation, so allocation counts and peak memory are not the real ones
// under it. The plain test run holds the real bounds.
package racedetect
