// Package e2e drives the real application in a real headless Chromium, as a person would: by
// visible labels and button names. Each page a journey visits is checked with axe-core for WCAG
// 2.1 A and AA violations and photographed at 390 and 1280 pixels wide.
//
// axe-core is committed in axe/ (MPL-2.0, see axe/README.md) and embedded, so the tests need
// nothing but Chromium. Without Chromium no test runs: the package prints why and go test's summary
// line says "[no tests to run]"; when CI=true a missing Chromium fails the run instead.
package e2e

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"charter/models/dbtest"
	"charter/views"
)

// outputDir receives the screenshots; it is not committed.
const outputDir = "../test-output/screenshots"

// widths are the viewport widths every page is photographed at; the first is the narrow one that
// must never scroll sideways.
var widths = []int64{390, 1280}

// axeJS is the source of axe-core, injected into each page that is checked.
//
//go:embed axe/axe.min.js
var axeJS string

// allocCtx is the browser process shared by every test.
var allocCtx context.Context

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	path, err := findChromium()
	if err != nil {
		if os.Getenv("CI") == "true" {
			fmt.Fprintf(os.Stderr, "e2e: FAIL: %v (CI=true needs the browser tests)\n", err)
			return 1
		}
		// go test shows a passing package's output only with -v; the line the testing package
		// prints when it runs nothing makes the summary line say "[no tests to run]".
		fmt.Printf("e2e: SKIPPED, no browser test ran: %v\n", err)
		fmt.Println("testing: warning: no tests to run")
		return 0
	}

	profile, err := os.MkdirTemp("", "charter-e2e-chromium-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(profile)
	ctx, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("hide-scrollbars", true),
	)
	defer cancel()
	// The first context starts the browser; each test's tab opens a browser context of its own.
	browserCtx, cancelBrowser := chromedp.NewContext(ctx)
	defer cancelBrowser()
	if err := chromedp.Do(browserCtx); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: start Chromium:", err)
		return 1
	}
	allocCtx = browserCtx
	// A page that looks up a message the catalogue lacks fails the test that loads it (the
	// server answers 500) instead of showing the key.
	views.MissingMessage = func(l views.Lang, key string, err error) {
		panic(fmt.Sprintf("views: no %s message %q: %v", l, key, err))
	}
	return dbtest.Main(m) // stops the PostgreSQL server of CHARTER_TEST_DB=postgres, if any
}

// findChromium returns the path of the browser: $CHROMIUM if set, else the first of the usual
// names found on $PATH.
func findChromium() (string, error) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			return "", fmt.Errorf("chromium not found at CHROMIUM=%s", p)
		}
		return p, nil
	}
	names := []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"}
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("chromium not found as %s: install it (`apt-get install -y chromium`) "+
		"or set CHROMIUM to its path", strings.Join(names, ", "))
}

// tab is one browser tab of a test, in a browser context of its own (its own cookies).
type tab struct {
	t        *testing.T
	ctx      context.Context
	base     string // the server's base URL
	noScript bool   // JavaScript is disabled in this tab
}

// newTab opens a tab on the server at base. With noScript, the page's JavaScript is switched off,
// to prove that every journey works without it.
func newTab(t *testing.T, base string, noScript bool) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(cancelTimeout)
	p := &tab{t: t, ctx: ctx, base: base, noScript: noScript}
	// Open the tab on the test's own context: a tab lives as long as the context that opened it,
	// and each step below runs on a shorter one.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	p.do(chromedp.EmulateViewport(1280, 900))
	if noScript {
		p.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled,
				emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}))
	}
	return p
}

// actionTimeout bounds one browser step: a missing element fails the test quickly.
const actionTimeout = 15 * time.Second

// do runs browser actions, failing the test on error.
func (p *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	for _, a := range actions {
		ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
		err := chromedp.Do(ctx, a)
		cancel()
		if err != nil {
			p.t.Fatalf("browser, on %s: %v", p.where(), err)
		}
	}
}

// run runs one action that returns a value.
func run[T any](p *tab, a chromedp.Action[T]) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		p.t.Fatalf("browser, on %s: %v", p.where(), err)
	}
	return v
}

// where is the current page's path, for messages; it never fails the test.
func (p *tab) where() string {
	ctx, cancel := context.WithTimeout(p.ctx, 2*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "an unknown page"
	}
	return strings.TrimPrefix(loc, p.base)
}

// visit opens a path of the site and waits for it to load.
func (p *tab) visit(path string) {
	p.t.Helper()
	p.do(chromedp.Navigate(p.base + path))
}

// path is the path (and query) of the current page.
func (p *tab) path() string {
	loc := run(p, chromedp.Location())
	return strings.TrimPrefix(loc, p.base)
}

// text is the visible text of the first element matching the CSS selector, spaces folded.
func (p *tab) text(css string) string {
	p.t.Helper()
	return strings.Join(strings.Fields(run(p, chromedp.Text(chromedp.CSS(css), chromedp.NodeVisible))), " ")
}

// count is the number of elements matching the CSS selector, waiting for none.
func (p *tab) count(css string) int {
	p.t.Helper()
	nodes := run(p, chromedp.Nodes(chromedp.CSSAll(css), chromedp.AtLeast(0)))
	return len(nodes)
}

// checkPage runs the accessibility and layout checks on the current page and takes its
// screenshots, named name. axe needs JavaScript, so it runs only in tabs that have it.
func (p *tab) checkPage(name string) {
	p.t.Helper()
	if !p.noScript {
		p.checkAccessibility(name)
	}
	p.screenshots(name)
}

// axeResult is what the page reports of one axe violation.
type axeResult struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

// checkAccessibility runs axe-core on the page and fails on any WCAG 2.1 A or AA violation.
func (p *tab) checkAccessibility(name string) {
	p.t.Helper()
	for _, v := range p.axeViolations(name) {
		p.t.Errorf("accessibility (%s, %s): %s [%s]\n  %s", name, p.path(), v.Help, v.ID, strings.Join(v.Targets, "\n  "))
	}
}

// axeViolations runs axe-core on the current page for the WCAG 2.1 A and AA rules.
func (p *tab) axeViolations(name string) []axeResult {
	p.t.Helper()
	p.do(chromedp.Evaluate[chromedp.Void](axeJS))
	raw := run(p, chromedp.Evaluate[string](`axe.run(document, {
		runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
		resultTypes: ['violations']
	}).then(r => JSON.stringify(r.violations.map(v => ({
		id: v.id, impact: v.impact, help: v.help,
		targets: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)
	}))))`, chromedp.EvalAwaitPromise))
	var violations []axeResult
	if err := json.Unmarshal([]byte(raw), &violations); err != nil {
		p.t.Fatalf("axe on %s: %v (%s)", name, err, raw)
	}
	return violations
}

var unsafeName = regexp.MustCompile(`[^a-z0-9-]+`)

// screenshots photographs the whole page at each width into outputDir, and fails when the page
// scrolls sideways at the narrow width.
func (p *tab) screenshots(name string) {
	p.t.Helper()
	if err := os.MkdirAll(outputDir, 0o755); err != nil {
		p.t.Fatal(err)
	}
	file := unsafeName.ReplaceAllString(strings.ToLower(p.t.Name()+"-"+name), "-")
	if p.noScript {
		file += "-nojs"
	}
	for _, w := range widths {
		p.do(chromedp.EmulateViewport(w, 900))
		if w == widths[0] {
			overflow := run(p, chromedp.Evaluate[int64](
				`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
			if overflow > 0 {
				p.t.Errorf("%s (%s) scrolls horizontally by %dpx at %dpx wide", name, p.path(), overflow, w)
			}
		}
		png := run(p, chromedp.FullScreenshot(100))
		if err := os.WriteFile(filepath.Join(outputDir, fmt.Sprintf("%s-%d.png", file, w)), png, 0o644); err != nil {
			p.t.Fatal(err)
		}
	}
	p.do(chromedp.EmulateViewport(1280, 900))
}

// labelledID is the id of the control whose label starts with the visible text label.
func (p *tab) labelledID(label string) string {
	p.t.Helper()
	attr := run(p, chromedp.AttributeValue(
		fmt.Sprintf(`(//label[starts-with(normalize-space(.), %q)])[1]`, label), "for", chromedp.NodeReady))
	if !attr.Exists || attr.Value == "" {
		p.t.Fatalf("no control labelled %q on %s", label, p.path())
	}
	return attr.Value
}

// fill types text into the field labelled label, as a person would, replacing what was there.
func (p *tab) fill(label, text string) {
	p.t.Helper()
	id := chromedp.ID(p.labelledID(label))
	if run(p, chromedp.Value(id)) != "" {
		p.do(chromedp.Clear(id))
	}
	p.do(chromedp.SendKeys(id, text))
}

// check ticks the checkbox or radio button labelled label by clicking its label.
func (p *tab) check(label string) {
	p.t.Helper()
	p.do(chromedp.Click(fmt.Sprintf(`(//label[starts-with(normalize-space(.), %q)])[1]`, label), chromedp.NodeVisible))
}

// choose picks the option shown as option in the list labelled label.
func (p *tab) choose(label, option string) {
	p.t.Helper()
	id := p.labelledID(label)
	value := run(p, chromedp.AttributeValue(
		fmt.Sprintf(`//select[@id=%q]/option[normalize-space(.)=%q]`, id, option), "value", chromedp.NodeReady))
	if !value.Exists {
		p.t.Fatalf("the list %q has no option %q", label, option)
	}
	p.do(chromedp.SetValue(chromedp.ID(id), value.Value))
}

// value is what the field labelled label holds.
func (p *tab) value(label string) string {
	p.t.Helper()
	return run(p, chromedp.Value(chromedp.ID(p.labelledID(label))))
}

// press presses the button named name and waits for the page it leads to.
func (p *tab) press(name string) {
	p.t.Helper()
	p.clickAndLoad(fmt.Sprintf(`(//button[normalize-space(.)=%q])[1]`, name))
}

// follow clicks the first link whose text is name and waits for the page it leads to.
func (p *tab) follow(name string) {
	p.t.Helper()
	p.clickAndLoad(fmt.Sprintf(`(//a[normalize-space(.)=%q])[1]`, name))
}

// clickAndLoad clicks the element the XPath selects and waits for the page load that follows.
func (p *tab) clickAndLoad(xpath string) {
	p.t.Helper()
	run(p, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(xpath, chromedp.NodeVisible)))
}

// open loads an absolute URL, such as a link from an email.
func (p *tab) open(url string) {
	p.t.Helper()
	p.do(chromedp.Navigate(url))
}

// focused describes the element that has the keyboard focus: its id, or its tag and class.
func (p *tab) focused() string {
	p.t.Helper()
	return run(p, chromedp.Evaluate[string](
		`(e => e.id || (e.tagName.toLowerCase() + '.' + e.className))(document.activeElement)`))
}
