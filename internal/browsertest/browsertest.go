// Package browsertest drives a real headless Chromium for the browser
// tests: the link pages on a phone (internal/web) and the staff pages on a
// laptop (internal/staff). Where Chromium is missing the tests skip and say
// why.
package browsertest

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Chromium is where Debian's package puts the browser.
const Chromium = "/usr/bin/chromium"

// Phone starts a fresh headless Chromium with a phone-sized screen (touch,
// mobile viewport), as students, parents and supervisors open their links.
func Phone(t *testing.T) context.Context {
	return start(t, 390, 844, chromedp.EmulateMobile)
}

// Laptop starts a fresh headless Chromium with a laptop-sized window, as
// staff work.
func Laptop(t *testing.T) context.Context {
	return start(t, 1280, 900)
}

func start(t *testing.T, width, height int, viewport ...chromedp.EmulateViewportOption) context.Context {
	t.Helper()
	if _, err := os.Stat(Chromium); err != nil {
		t.Skipf("browser tests need Chromium at %s (Debian packages chromium, chromium-driver; `make test` installs them)", Chromium)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(Chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(width, height),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height), viewport...)); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// Run performs steps, failing the test with what was being done.
func Run(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// Text reads an element's text.
func Text(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		t.Fatalf("read %s: %v", css, err)
	}
	return s
}

// Location is the page's URL.
func Location(t *testing.T, ctx context.Context) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Screenshot saves the whole page as name (e.g. "signing-page.png") in the
// test's temp dir and, with UPDATE_SCREENSHOTS or INTERNFLOW_SCREENSHOTS
// set, refreshes docs/screenshots too (tests run two levels below the
// repository's root).
func Screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	img, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if _, err := png.Decode(bytes.NewReader(img)); err != nil {
		t.Fatalf("screenshot %s is not a PNG: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(t.TempDir(), name), img, 0o644); err != nil {
		t.Fatal(err)
	}
	if os.Getenv("UPDATE_SCREENSHOTS") == "" && os.Getenv("INTERNFLOW_SCREENSHOTS") == "" {
		return
	}
	dir := filepath.Join("..", "..", "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), img, 0o644); err != nil {
		t.Fatal(err)
	}
}
