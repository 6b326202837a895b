package handlers

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/sync/singleflight"

	"charter/models"
	"charter/views"
)

// cardCacheSize bounds the share cards kept for the current public state. A card is 40 to 90 KiB,
// so at most about 10 MiB; the cards asked for most (the charter's, the newest signatories',
// whose links are being shared) are drawn again after eviction only if they were the oldest.
const cardCacheSize = 128

// pictures holds what the map, the growth chart and the share cards are computed from, for one
// public state: each is computed once for it (the figures come from the public cache).
type pictures struct {
	mu     sync.Mutex
	state  models.PublicState
	growth map[time.Time][]models.GrowthMonth // by current month: the chart ends with it
	cards  map[pageKey]*encodedBody
	order  []pageKey          // cards in the order they were drawn, to evict the oldest
	flight singleflight.Group // one drawing of a card at a time, however many ask
}

// reset forgets everything computed for another state than st. Call with mu held.
func (p *pictures) reset(st models.PublicState) {
	if p.state != st {
		p.state, p.growth, p.cards, p.order = st, nil, nil, nil
	}
}

// growth returns the growth chart's months for the current public state and month.
func (h *Handler) growth(ctx context.Context) ([]models.GrowthMonth, error) {
	st, _, err := h.publicState(ctx)
	if err != nil {
		return nil, err
	}
	now := h.now()
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	p := &h.pictures
	p.mu.Lock()
	p.reset(st)
	g, ok := p.growth[month]
	p.mu.Unlock()
	if ok {
		return g, nil
	}
	if g, err = h.Store.Growth(ctx, now); err != nil {
		return nil, err
	}
	p.mu.Lock()
	if p.state == st {
		p.growth = map[time.Time][]models.GrowthMonth{month: g}
	}
	p.mu.Unlock()
	return g, nil
}

// charterCard serves the charter's share card in the page's language, with the number of
// signatories.
func (h *Handler) charterCard(c echo.Context) error {
	return h.serveCard(c, views.CharterCardURL, func(ctx context.Context) ([]byte, error) {
		f, err := h.figures(ctx)
		if err != nil {
			return nil, err
		}
		return views.CharterCard(ctx, f.Total())
	})
}

// signatoryCard serves a signatory's share card: its name, category and country. For a name the
// embedded fonts cannot draw, and for a signature that no longer stands, it serves the
// charter's card.
func (h *Handler) signatoryCard(c echo.Context) error {
	slug := c.Param("slug")
	if slug == "" || len(slug) > maxSlugLength {
		return models.ErrNotFound
	}
	return h.serveCard(c, views.SignatoryCardURL(slug), func(ctx context.Context) ([]byte, error) {
		s, err := h.Store.PublicSignatoryBySlug(ctx, slug)
		if err != nil {
			return nil, err
		}
		if s.Public() {
			png, err := views.SignatoryCard(ctx, *s)
			if !errors.Is(err, views.ErrNotDrawable) {
				return png, err
			}
		}
		f, err := h.figures(ctx)
		if err != nil {
			return nil, err
		}
		return views.CharterCard(ctx, f.Total())
	})
}

// serveCard answers with the PNG cached for url in the request's language and the current public
// state, drawing it once if need be; 304 when the client has it.
func (h *Handler) serveCard(c echo.Context, url string, draw func(ctx context.Context) ([]byte, error)) error {
	ctx := c.Request().Context()
	st, tag, err := h.publicState(ctx)
	if err != nil {
		return err
	}
	key := pageKey{lang: views.LangOf(ctx), url: url}
	p := &h.pictures
	p.mu.Lock()
	p.reset(st)
	body, ok := p.cards[key]
	p.mu.Unlock()
	if !ok {
		flight := fmt.Sprintf("%s-%d %s %s", st.Epoch, st.Version, key.lang, url)
		v, err, _ := p.flight.Do(flight, func() (any, error) {
			png, err := draw(context.WithoutCancel(ctx)) // others may wait for it

			if err != nil {
				return nil, err
			}
			b := newEncodedBody(png, false, withSuffix(tag, "png"), "image/png", h.publicCC)
			p.mu.Lock()
			defer p.mu.Unlock()
			if p.state == st {
				if p.cards == nil {
					p.cards = make(map[pageKey]*encodedBody)
				}
				if len(p.order) >= cardCacheSize {
					delete(p.cards, p.order[0])
					p.order = p.order[1:]
				}
				p.cards[key] = b
				p.order = append(p.order, key)
			}
			return b, nil
		})
		if err != nil {
			return err
		}
		body = v.(*encodedBody)
	}
	return sendEncoded(c, body)
}
