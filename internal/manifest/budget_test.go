package manifest

import "testing"

// TestHumanBytes: the budget's error says a budget in a unit that shows
// it; one under 1 MiB said "0 MiB".
func TestHumanBytes(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{
		512 << 20: "512 MiB",
		2 << 30:   "2 GiB",
		3 << 29:   "1536 MiB",
		50 << 10:  "50 KiB",
		1000:      "1000 bytes",
	} {
		if got := humanBytes(n); got != want {
			t.Errorf("humanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}
