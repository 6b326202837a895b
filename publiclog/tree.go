package publiclog

import (
	"crypto/sha256"

	"golang.org/x/mod/sumdb/tlog"
)

// TreeBuilder computes the hash of the log's tree from its entries, one after another, in memory
// that grows with the logarithm of their number: it keeps the hashes of the complete subtrees
// the entries so far make up, the largest first (a compact range). Its zero value is an empty
// tree.
type TreeBuilder struct {
	size  int64
	nodes []subtree
}

type subtree struct {
	size int64
	hash tlog.Hash
}

// Add adds the next entry, by its canonical text.
func (b *TreeBuilder) Add(text []byte) {
	b.size++
	b.nodes = append(b.nodes, subtree{1, tlog.RecordHash(text)})
	for n := len(b.nodes); n >= 2 && b.nodes[n-2].size == b.nodes[n-1].size; n = len(b.nodes) {
		left, right := b.nodes[n-2], b.nodes[n-1]
		b.nodes = append(b.nodes[:n-2], subtree{left.size * 2, tlog.NodeHash(left.hash, right.hash)})
	}
}

// Size is the number of entries added.
func (b *TreeBuilder) Size() int64 { return b.size }

// Hash returns the hash of the tree of the entries added so far, as tlog.TreeHash computes it
// (RFC 6962): the complete subtrees joined from the right.
func (b *TreeBuilder) Hash() tlog.Hash {
	if len(b.nodes) == 0 {
		return sha256.Sum256(nil) // the hash of the empty tree (RFC 6962, 2.1), as tlog has it
	}
	h := b.nodes[len(b.nodes)-1].hash
	for i := len(b.nodes) - 2; i >= 0; i-- {
		h = tlog.NodeHash(b.nodes[i].hash, h)
	}
	return h
}
