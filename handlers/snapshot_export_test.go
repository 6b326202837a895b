package handlers

// SetSnapshotBeforeSwap makes the snapshot builder call f after writing a build's files and
// before they become current.
func SetSnapshotBeforeSwap(h *Handler, f func()) {
	h.snaps.mu.Lock()
	defer h.snaps.mu.Unlock()
	h.snaps.beforeSwap = f
}

// SnapshotsRunning reports whether the snapshot builder runs.
func SnapshotsRunning(h *Handler) bool { return h.snapshotsRunning() }
