package report

import (
	"os"
	"path/filepath"
	"testing"
)

func TestColorWanted(t *testing.T) {
	t.Parallel()
	regular, err := os.Create(filepath.Join(t.TempDir(), "out.txt"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { regular.Close() })
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { devNull.Close() })

	tests := []struct {
		name string
		file *os.File
		env  map[string]string
		want bool
	}{
		{name: "regular file", file: regular, want: false},
		{name: "null device", file: devNull, want: false},
		{name: "nil file", file: nil, want: false},
		{name: "FORCE_COLOR on a file", file: regular, env: map[string]string{"FORCE_COLOR": "1"}, want: true},
		{name: "FORCE_COLOR on nil", file: nil, env: map[string]string{"FORCE_COLOR": "1"}, want: true},
		{name: "NO_COLOR", file: regular, env: map[string]string{"NO_COLOR": "1"}, want: false},
		{name: "NO_COLOR wins over FORCE_COLOR", file: regular, env: map[string]string{"NO_COLOR": "1", "FORCE_COLOR": "1"}, want: false},
		{name: "empty NO_COLOR is unset", file: regular, env: map[string]string{"NO_COLOR": "", "FORCE_COLOR": "1"}, want: true},
		{name: "empty FORCE_COLOR is unset", file: regular, env: map[string]string{"FORCE_COLOR": ""}, want: false},
		{name: "FORCE_COLOR beats TERM=dumb", file: regular, env: map[string]string{"TERM": "dumb", "FORCE_COLOR": "1"}, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			getenv := func(k string) string { return tt.env[k] }
			if got := colorWanted(tt.file, getenv); got != tt.want {
				t.Errorf("colorWanted() = %v, want %v", got, tt.want)
			}
		})
	}
}
