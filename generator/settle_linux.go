//go:build linux

package generator

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// settleRoot is the output root as settle reads it: on Linux, besides
// the os.Root, a descriptor of the root folder itself, from which settle
// opens each folder one name at a time with openat(2) (O_NOFOLLOW, so a
// link is never followed, not even one that stays inside): an os.File
// for each folder cost eight system calls more (os.Root's walk, the
// poller's registration and the modes it sets and restores).
type settleRoot struct {
	root *os.Root
	f    *os.File // the root folder; nil when it did not open (root.Open is used then)
	fd   int
}

// newSettleRoot returns the settleRoot of root; close it when done.
func newSettleRoot(root *os.Root) *settleRoot {
	r := &settleRoot{root: root, fd: -1}
	if f, err := root.Open("."); err == nil {
		// Fd puts the descriptor in blocking mode, which a folder ignores
		r.f, r.fd = f, int(f.Fd())
	}
	return r
}

func (r *settleRoot) close() {
	if r.f != nil {
		_ = r.f.Close()
	}
}

// settleDir is a folder of the output root, open while settle reads its
// files. On Linux they are read with openat(2), fstat(2), one read(2) and
// close(2) on the folder's descriptor: an os.File costs three more system
// calls each (it tries the poller, which refuses regular files, and
// restores blocking mode), and os.Root an lstat before it; for an
// up-to-date render of 1,000 environments that was about 60,000 calls.
type settleDir struct {
	f  *os.File // when opened by root.Open, else nil
	fd int
}

// openSettleDir opens folder dir of r ("" for the root itself); nil
// when it cannot (a link on the way is not followed).
func openSettleDir(r *settleRoot, dir string) *settleDir {
	if dir == "" {
		dir = "."
	}
	if r.f == nil {
		f, err := r.root.Open(dir)
		if err != nil {
			return nil
		}
		return &settleDir{f: f, fd: int(f.Fd())}
	}
	fd := r.fd
	for part := range strings.SplitSeq(filepath.ToSlash(dir), "/") {
		if part == "" || part == ".." || (part == "." && dir != ".") {
			if fd != r.fd {
				_ = unix.Close(fd)
			}
			return nil
		}
		next, err := openDirAt(fd, part)
		if fd != r.fd {
			_ = unix.Close(fd)
		}
		if err != nil {
			return nil
		}
		fd = next
	}
	return &settleDir{fd: fd}
}

// openDirAt opens folder name of folder dirfd, never through a link.
func openDirAt(dirfd int, name string) (int, error) {
	return retryEINTR(func() (int, error) {
		return unix.Openat(dirfd, name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	})
}

func (d *settleDir) close() {
	switch {
	case d == nil:
	case d.f != nil:
		_ = d.f.Close()
	default:
		_ = unix.Close(d.fd)
	}
}

// read reads file name of d when it is a regular file of size bytes, into
// buf's backing (grown as needed) with one read of size+1 bytes, and says
// which file it was; nil when it cannot open it, it is something else
// (a symbolic link is not followed, a FIFO does not block the open), or
// that read gives other than size bytes.
func (d *settleDir) read(name string, size int, buf []byte) ([]byte, *diskFile) {
	if name == "" || name == "." || name == ".." || strings.ContainsRune(name, '/') {
		return nil, nil // one entry of the folder, never a path
	}
	fd, err := retryEINTR(func() (int, error) {
		return unix.Openat(d.fd, name, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NOFOLLOW|unix.O_NONBLOCK, 0)
	})
	if err != nil {
		return nil, nil
	}
	defer func() { _ = unix.Close(fd) }()
	var st unix.Stat_t
	if _, err := retryEINTR(func() (int, error) { return 0, unix.Fstat(fd, &st) }); err != nil ||
		st.Mode&unix.S_IFMT != unix.S_IFREG || st.Size != int64(size) {
		return nil, nil
	}
	buf = growTo(buf, size+1)
	n, err := retryEINTR(func() (int, error) { return unix.Read(fd, buf) })
	if err != nil || n != size {
		return nil, nil
	}
	return buf[:n], &diskFile{dev: uint64(st.Dev), ino: st.Ino, size: st.Size, sec: int64(st.Mtim.Sec), nsec: int64(st.Mtim.Nsec)} //nolint:unconvert // the types differ by architecture
}

// retryEINTR calls f again while it is interrupted by a signal.
func retryEINTR(f func() (int, error)) (int, error) {
	for {
		n, err := f()
		if !errors.Is(err, unix.EINTR) {
			return n, err
		}
	}
}

// diskFile is the file settle found holding a rendered file's content:
// its device, inode, size and modification time.
type diskFile struct {
	dev, ino        uint64
	size, sec, nsec int64
}

// same reports whether fi (an Lstat of the file's path) is still that
// file, unchanged: a regular file of the same device, inode, size and
// modification time.
func (d *diskFile) same(fi fs.FileInfo) bool {
	// (what os's Lstat gives)
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && fi.Mode().IsRegular() && uint64(st.Dev) == d.dev && st.Ino == d.ino && //nolint:unconvert // the types differ by architecture
		st.Size == d.size && int64(st.Mtim.Sec) == d.sec && int64(st.Mtim.Nsec) == d.nsec //nolint:unconvert // as above
}

// sameStat is same for an fstatat(2) of the file.
func (d *diskFile) sameStat(st *unix.Stat_t) bool {
	return st.Mode&unix.S_IFMT == unix.S_IFREG && uint64(st.Dev) == d.dev && st.Ino == d.ino && //nolint:unconvert // the types differ by architecture
		st.Size == d.size && int64(st.Mtim.Sec) == d.sec && int64(st.Mtim.Nsec) == d.nsec //nolint:unconvert // as above
}
