package models_test

import (
	"errors"
	"strings"
	"testing"

	"charter/models"
)

func TestCharterTranslationIsShownForItsVersionOnly(t *testing.T) {
	english := []byte("# Charter\n\n## Principles\n")
	plain, err := models.NewCharter(english, nil)
	if err != nil {
		t.Fatal(err)
	}
	current := "<!-- translates: " + plain.Version + " -->\n# Хартия {#charter}\n\n## Принципы {#principles}\n"
	stale := "<!-- translates: 000000000000 -->\n# Хартия\n"
	c, err := models.NewCharter(english, map[string][]byte{"ru": []byte(current), "de": []byte(stale)})
	if err != nil {
		t.Fatal(err)
	}
	ru := c.In("ru")
	if ru.Lang != "ru" || ru.Version != plain.Version || !strings.Contains(ru.HTML, `<h2 id="principles">Принципы</h2>`) {
		t.Errorf("the Russian charter: lang %q, version %q (want %q), HTML %s", ru.Lang, ru.Version, plain.Version, ru.HTML)
	}
	if strings.Contains(ru.HTML, "translates") {
		t.Errorf("the declaration must not be rendered: %s", ru.HTML)
	}
	if c.In("en") != c || c.In("fr") != c {
		t.Error("English, and a language without a translation, get the English text")
	}
	if de := c.In("de"); de != c || strings.Join(c.Stale(), ",") != "de" {
		t.Errorf("a stale translation must give way to the English text and be listed: got %q, stale %q", de.Lang, c.Stale())
	}
	if c.HTML != plain.HTML || c.Version != plain.Version {
		t.Error("translations must not change the English text or its version")
	}

	if _, err := models.NewCharter(english, map[string][]byte{"ru": []byte("# Хартия\n")}); !errors.Is(err, models.ErrNoTranslatedVersion) {
		t.Errorf("a translation that declares no version: err = %v, want ErrNoTranslatedVersion", err)
	}
}
