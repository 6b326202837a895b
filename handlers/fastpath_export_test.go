package handlers

import "charter/views"

// BreakCachedPage replaces the cached page of url in lang with nothing, as a bug would, so that
// answering it panics.
func BreakCachedPage(h *Handler, lang views.Lang, url string) {
	pc := &h.public
	pc.mu.Lock()
	defer pc.mu.Unlock()
	pc.pages[pageKey{lang: lang, url: url}] = nil
}
