package views

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// keyUse finds a message looked up by a literal key: T(ctx, "key"…), TN, Tr, TrN.
var keyUse = regexp.MustCompile(`\b(?:T|TN|Tr|TrN)\(\s*[A-Za-z_.()]+,\s*"([a-z0-9_.\-]+)"`)

// keyLiteral is any string literal shaped like a key; keyPrefix one that ends in a dot or a
// format verb, which the code completes at run time ("status." + s, "date.month.%d").
var (
	keyLiteral = regexp.MustCompile(`"([a-z0-9_\-]+(?:\.[a-z0-9_\-]+)+)"`)
	keyPrefix  = regexp.MustCompile(`"([a-z0-9_\-]+(?:\.[a-z0-9_\-]+)*\.)(?:%[a-z])?"`)
	keySuffix  = regexp.MustCompile(`\+\s*"(_[a-z0-9_]+)"`) // key + "_undated"
)

// Every key the code looks up exists, and every key defined is used: a message nobody shows is
// dead text that translators would keep translating.
func TestMessageKeysAreDefinedAndUsed(t *testing.T) {
	defined, err := MessageKeys(English)
	if err != nil {
		t.Fatal(err)
	}
	var literals, prefixes, suffixes []string
	err = filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && d.Name() != ".." || d.Name() == "node_modules" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || strings.HasSuffix(path, "_templ.go") || strings.HasSuffix(path, "_test.go") ||
			!(strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".templ")) {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range keyUse.FindAllStringSubmatch(string(src), -1) {
			if strings.HasSuffix(m[1], ".") {
				continue // a prefix the code completes: checked below, from the other side
			}
			if !slices.Contains(defined, m[1]) {
				t.Errorf("%s looks up %q, which no message defines", path, m[1])
			}
		}
		for _, m := range keyLiteral.FindAllStringSubmatch(string(src), -1) {
			literals = append(literals, m[1])
		}
		for _, m := range keyPrefix.FindAllStringSubmatch(string(src), -1) {
			prefixes = append(prefixes, m[1])
		}
		for _, m := range keySuffix.FindAllStringSubmatch(string(src), -1) {
			suffixes = append(suffixes, m[1])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range defined {
		if slices.Contains(literals, k) || slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(k, p) }) {
			continue
		}
		if slices.ContainsFunc(suffixes, func(x string) bool {
			base, ok := strings.CutSuffix(k, x)
			return ok && slices.Contains(literals, base)
		}) {
			continue
		}
		t.Errorf("the message %q is defined but no code uses it", k)
	}
}
