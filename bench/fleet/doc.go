// Package fleet generates a synthetic fleet of environment specs for the
// benchmarks (generator, policies and bench/compare.sh through
// bench/fleetgen).
//
// The fleet is deterministic for a given size and seed and realistic: a
// mix of dev, uat and prod environments on their tiers' accounts, 1–3
// targets (prod has several accounts and regions), 2–6 components with
// their dependencies and without conflicts (EFS and Karpenter in some), a
// second node group in some, CUSTOM images in a few dev clusters, and
// versions that respect the promotion order, so that the whole fleet
// renders and validates without a deny finding.
package fleet
