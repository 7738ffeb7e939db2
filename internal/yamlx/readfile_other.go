//go:build !linux && !darwin

package yamlx

import (
	"io/fs"
	"os"
)

// osFile is an *os.File with the Stat ReadFile needs (see readfile_unix.go).
type osFile struct{ *os.File }

func openFile(path string) (osFile, error) {
	f, err := os.Open(path)
	return osFile{f}, err
}

// Stat returns the file's size and its type (0 for a regular file).
func (f osFile) Stat() (size int64, typ fs.FileMode, err error) {
	st, err := f.File.Stat()
	if err != nil {
		return 0, 0, err
	}
	return st.Size(), st.Mode().Type(), nil
}
