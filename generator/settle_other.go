//go:build !linux

package generator

import (
	"io/fs"
	"os"
)

// settleRoot is the output root as settle reads it.
type settleRoot struct{ root *os.Root }

// newSettleRoot returns the settleRoot of root; close it when done.
func newSettleRoot(root *os.Root) *settleRoot { return &settleRoot{root: root} }

func (r *settleRoot) close() {}

// settleDir is a folder of the output root, open while settle reads its
// files (as an os.Root: one path element at a time).
type settleDir struct{ r *os.Root }

// openSettleDir opens folder dir of sr ("" for the root itself); nil
// when it cannot.
func openSettleDir(sr *settleRoot, dir string) *settleDir {
	if dir == "" {
		dir = "."
	}
	r, err := sr.root.OpenRoot(dir)
	if err != nil {
		return nil
	}
	return &settleDir{r: r}
}

func (d *settleDir) close() {
	if d != nil {
		_ = d.r.Close()
	}
}

// read reads file name of d when it is a regular file of size bytes, into
// buf's backing (grown as needed) with one read of size+1 bytes, and says
// which file it was; nil when it cannot open it, it is something else, or
// that read gives other than size bytes.
func (d *settleDir) read(name string, size int, buf []byte) ([]byte, *diskFile) {
	st, err := d.r.Lstat(name)
	if err != nil || !st.Mode().IsRegular() || st.Size() != int64(size) {
		return nil, nil
	}
	f, err := d.r.Open(name)
	if err != nil {
		return nil, nil
	}
	defer func() { _ = f.Close() }()
	buf = growTo(buf, size+1)
	n, err := f.Read(buf)
	if err != nil || n != size {
		return nil, nil
	}
	return buf[:n], &diskFile{st}
}

// diskFile is the file settle found holding a rendered file's content.
type diskFile struct{ info fs.FileInfo }

// same reports whether fi (an Lstat of the file's path) is still that
// file, unchanged: os.SameFile, the same size and modification time.
func (d *diskFile) same(fi fs.FileInfo) bool {
	return fi.Mode().IsRegular() && os.SameFile(fi, d.info) &&
		fi.Size() == d.info.Size() && fi.ModTime().Equal(d.info.ModTime())
}
