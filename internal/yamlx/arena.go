package yamlx

// Arena lends the fast parser the memory of its trees, so that a caller
// that parses many files one after the other, and drops each tree before
// it parses the next, reuses the same nodes instead of allocating (and
// having the garbage collector reclaim) new ones for every file: on a
// large run the trees are most of what reading allocates. The slow path
// (go-yaml) does not use it.
//
// After Reset, every tree parsed with the arena since the last Reset is
// overwritten by the next parse: call it only once nothing refers to any
// node of those trees any more, and Abandon instead when something may
// (the trees then stay as they are, and the arena starts afresh). The
// zero Arena is ready to use; an Arena is not safe for concurrent use.
type Arena struct {
	nodes []arenaBlock[Node]
	ptrs  []arenaBlock[*Node]
	// cur is the block being lent from, in each list
	nodeCur, ptrCur int
}

// arenaBlock is a block of T; the first used are lent out.
type arenaBlock[T any] struct {
	buf  []T
	used int
}

// arenaBlockSize is the smallest block an Arena allocates; arenaKeep
// bounds the items an arena keeps over a Reset (a huge file's tree is
// let go).
const (
	arenaBlockSize = 2048
	arenaKeep      = 8 * arenaBlockSize
)

// lend returns n zeroed items of the current block, or of a new one.
func lend[T any](blocks *[]arenaBlock[T], cur *int, n int) []T {
	for *cur < len(*blocks) {
		b := &(*blocks)[*cur]
		if len(b.buf)-b.used >= n {
			out := b.buf[b.used : b.used+n : b.used+n]
			b.used += n
			return out
		}
		*cur++
	}
	b := arenaBlock[T]{buf: make([]T, max(n, arenaBlockSize)), used: n}
	*blocks = append(*blocks, b)
	*cur = len(*blocks) - 1
	return b.buf[:n:n]
}

// giveBack returns the last k items lent (the unused end of the last
// lend) to the current block.
func giveBack[T any](blocks []arenaBlock[T], cur, k int) {
	if k > 0 && cur < len(blocks) {
		blocks[cur].used -= k
	}
}

// reset zeroes what was lent and keeps at most arenaKeep items.
func reset[T any](blocks *[]arenaBlock[T], cur *int) {
	kept := 0
	for i := range *blocks {
		b := &(*blocks)[i]
		clear(b.buf[:b.used])
		b.used = 0
		if kept += len(b.buf); kept > arenaKeep {
			clear((*blocks)[i:])
			*blocks = (*blocks)[:i]
			break
		}
	}
	*cur = 0
}

// Reset makes the memory of every tree parsed with a since the last Reset
// available to the next parse.
func (a *Arena) Reset() {
	reset(&a.nodes, &a.nodeCur)
	reset(&a.ptrs, &a.ptrCur)
}

// Abandon leaves the trees parsed with a since the last Reset to their
// users, and starts afresh.
func (a *Arena) Abandon() { *a = Arena{} }
