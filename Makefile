# Casebook — newcomers run `make run` and `make test`; both set up what they need.
GO       ?= go
TAGS     := migrated_fynedo
BIN      := bin/casebook
DEMO_DIR ?= build/demo-case
APT_PKGS := libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev pkg-config poppler-utils zsh fish \
	xvfb xdotool imagemagick espeak-ng sox libsox-fmt-mp3 ffmpeg libasound2-dev
SUMMARY  := build/test-summary.txt
WIN_CC    ?= x86_64-w64-mingw32-gcc
WIN_BIN   := bin/casebook.exe
APT_CROSS := gcc-mingw-w64-x86-64
FYNE      := bin/fyne
PKG_DIR   := build/package
# Packages that cannot be type-checked for macOS here: Fyne's GLFW driver needs cgo and the macOS SDK (Cocoa).
DARWIN_SKIP := casebook casebook/ui

.PHONY: setup build run demo test test-start vet fmt-check fuzz-short fuzz bench package clean
.PHONY: setup-cross cross darwin-check test-windows
.PHONY: screenshots window-shots

## setup: install the X11/GL headers Fyne needs, poppler-utils (report tests read PDFs back), zsh and fish
## (completion tests load the scripts), and Xvfb, xdotool and ImageMagick (the real window is started and
## screenshotted), espeak-ng, sox and ffmpeg (recording tests make and convert speech; ffmpeg also decodes
## m4a/ogg/webm at run time) and libasound2-dev (playback through ALSA) with apt-get, as root or with sudo, and
## the Go modules
setup:
	@if ! pkg-config --exists gl x11 xcursor xrandr xinerama xi xxf86vm 2>/dev/null || ! command -v pdftotext >/dev/null \
		|| ! command -v zsh >/dev/null || ! command -v fish >/dev/null \
		|| ! command -v Xvfb >/dev/null || ! command -v xdotool >/dev/null || ! command -v import >/dev/null \
		|| ! command -v espeak-ng >/dev/null || ! command -v sox >/dev/null || ! command -v ffmpeg >/dev/null \
		|| ! pkg-config --exists alsa 2>/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=; \
		elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
		else echo "make setup: need root or sudo to install: $(APT_PKGS)" >&2; exit 1; fi; \
		echo "installing $(APT_PKGS)"; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(APT_PKGS) >/dev/null; \
	fi
	@$(GO) mod download

## build: the casebook binary (GUI and command line in one)
build: setup
	$(GO) build -buildvcs=true -tags $(TAGS) -o $(BIN) .

## run: build, create the demo case once, open the window on it
run: build
	@if [ ! -f $(DEMO_DIR)/case.db ]; then ./$(BIN) demo $(DEMO_DIR); fi
	./$(BIN) gui $(DEMO_DIR)

## demo: (re)build the demo case
demo: build
	rm -rf $(DEMO_DIR)
	./$(BIN) demo $(DEMO_DIR)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet: setup
	$(GO) vet -tags $(TAGS) ./...
	@[ ! -f $(SUMMARY) ] || echo "gofmt and go vet (linux/amd64): $$($(GO) list ./... | wc -l) packages clean" >> $(SUMMARY)

## test: set up, vet, build for Windows and check for macOS (see cross, darwin-check), run every test with the
## race detector, then each fuzz target for a fixed number of executions; ends with a summary of what it ran.
## Also runs test-windows (the Windows build under Wine), about 135 s on a warm cache
test: test-start setup fmt-check vet cross darwin-check test-windows
	@$(GO) test -race -timeout 25m -tags $(TAGS) -count=1 -json ./... 2>&1 | $(GO) run ./internal/testsummary -label "go test -race" -o $(SUMMARY)
	@scripts/fuzz.sh short $(SUMMARY)
	@echo; echo "make test ran:"; sed 's/^/  /' $(SUMMARY)

test-start:
	@mkdir -p build && : > $(SUMMARY)

## fuzz-short: every fuzz target for its execution-count budget (make test runs this; FUZZ_EXECS=N scales it)
fuzz-short:
	@scripts/fuzz.sh short

## fuzz: every fuzz target for FUZZTIME (default 60s) each, for people who want long runs
fuzz:
	@scripts/fuzz.sh long

## bench: Casebook and its peers (sqlite3, recollindex, FTS5, ripgrep; installed with apt-get when missing) on the
## same generated reference data (made once outside the repo), one table of figures, ratios and targets in
## bench/results.md; 20-40 minutes. BENCH_SCALE=small tries it on a tenth of the data; BENCH_SCALE=10 is the
## ten-million-row run (the log and the transcripts at 10×: import, catch-up, size, search and filters) into
## bench/results-x10.md, about an hour. Not part of make test.
bench: setup
	bash bench/run.sh

## setup-cross: install the mingw-w64 C compiler (Windows cgo: SQLite, GLFW) with apt-get when missing
setup-cross:
	@if ! command -v $(WIN_CC) >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=; \
		elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
		else echo "make setup-cross: need root or sudo to install: $(APT_CROSS)" >&2; exit 1; fi; \
		echo "installing $(APT_CROSS)"; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(APT_CROSS) >/dev/null; \
	fi

## cross: the real Windows amd64 binary (cgo with mingw-w64: SQLite and Fyne's GLFW driver) as bin/casebook.exe,
## then go vet of every package, tests included, for windows/amd64 with cgo (CI runs this through make test)
cross: setup setup-cross
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=$(WIN_CC) $(GO) build -tags $(TAGS) -o $(WIN_BIN) .
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=$(WIN_CC) $(GO) vet -tags $(TAGS) ./...
	@[ ! -f $(SUMMARY) ] || echo "windows/amd64: $(WIN_BIN) built with cgo, go vet of $$($(GO) list ./... | wc -l) packages clean" >> $(SUMMARY)

## test-windows: the Windows build run under Wine (apt-get installs wine when missing; where it cannot, the step
## says so and skips): go test -exec wine of every package that needs no display, then the real $(WIN_BIN)
## through the command line and its window under Xvfb (scripts/wine/test-windows.sh; CI runs this via make test)
test-windows: cross
	@s=; [ ! -f $(SUMMARY) ] || s=$(SUMMARY); \
	GO=$(GO) TAGS=$(TAGS) WIN_CC=$(WIN_CC) WIN_BIN=$(WIN_BIN) scripts/wine/test-windows.sh $$s

## darwin-check: what can be checked for macOS without its SDK (CI runs this through make test): go vet, tests
## included, of every package but $(DARWIN_SKIP) for darwin/arm64 and darwin/amd64 with CGO_ENABLED=0
## (go-sqlite3 has !cgo stubs); and every package the real binary needs has files for darwin with cgo
darwin-check: setup
	@pkgs="$(filter-out $(DARWIN_SKIP),$(shell $(GO) list ./...))"; \
	for arch in arm64 amd64; do \
		echo "go vet (GOOS=darwin GOARCH=$$arch CGO_ENABLED=0): every package but $(DARWIN_SKIP)"; \
		CGO_ENABLED=0 GOOS=darwin GOARCH=$$arch $(GO) vet -tags $(TAGS) $$pkgs || exit 1; \
	done
	@echo "go list -deps (GOOS=darwin GOARCH=arm64 CGO_ENABLED=1): build constraints of the whole binary"
	@out=$$(CGO_ENABLED=1 GOOS=darwin GOARCH=arm64 $(GO) list -e -deps -tags $(TAGS) \
		-f '{{with .Error}}{{.}}{{end}}{{range .DepsErrors}}{{.}}{{end}}' . ./... 2>&1); \
	if [ -n "$$out" ]; then echo "$$out" >&2; exit 1; fi
	@[ ! -f $(SUMMARY) ] || echo "darwin arm64 and amd64: go vet of every package but $(DARWIN_SKIP) clean; build constraints of the binary hold" >> $(SUMMARY)

$(FYNE):
	GOBIN=$(CURDIR)/bin $(GO) install fyne.io/tools/cmd/fyne@v1.7.4

## package: with fyne.io/tools, in $(PKG_DIR)/: the Linux tarball and the Windows .exe (icon, version and
## manifest from FyneApp.toml; checked to carry them). fyne package bumps Build in FyneApp.toml: it is put back.
package: setup setup-cross $(FYNE)
	@mkdir -p $(PKG_DIR) && cp FyneApp.toml $(PKG_DIR)/FyneApp.toml.orig
	@rm -f Casebook.tar.xz Casebook.exe
	$(FYNE) package -os linux -tags $(TAGS) -release; rc=$$?; cp $(PKG_DIR)/FyneApp.toml.orig FyneApp.toml; exit $$rc
	GOARCH=amd64 CC=$(WIN_CC) $(FYNE) package -os windows -tags $(TAGS) -release; \
		rc=$$?; cp $(PKG_DIR)/FyneApp.toml.orig FyneApp.toml; exit $$rc
	@mv -f Casebook.tar.xz Casebook.exe $(PKG_DIR)/ && rm -f $(PKG_DIR)/FyneApp.toml.orig
	@res=$$($(WIN_CC:-gcc=-objdump) -p $(PKG_DIR)/Casebook.exe | grep -E '^[0-9a-f]+   Entry: ID: '); \
	for r in 0x000003:icon 0x00000e:icon-group 0x000010:version 0x000018:manifest; do \
		echo "$$res" | grep -q "ID: $${r%%:*}," \
			|| { echo "$(PKG_DIR)/Casebook.exe lacks its $${r#*:} resource" >&2; exit 1; }; \
	done; \
	$(WIN_CC:-gcc=-strings) -el $(PKG_DIR)/Casebook.exe | grep -qx Casebook \
		|| { echo "$(PKG_DIR)/Casebook.exe: no product name in its version resource" >&2; exit 1; }
	@echo "$(PKG_DIR)/Casebook.exe carries its icon, version (from FyneApp.toml) and manifest resources"
	@ls -l $(PKG_DIR)

## screenshots: render the main screens of the demo case to docs/screenshots/ as PNG, on Fyne's software
## canvas (no display needed): start, overview, search, reader, access log, timeline, review, statements, report, settings, mapping,
## speakers
screenshots: setup
	CASEBOOK_SCREENSHOTS=$(CURDIR)/docs/screenshots $(GO) test -tags $(TAGS) -count=1 -run '^TestScreenshots$$' ./ui

## window-shots: the real binary's window on the demo case under Xvfb at 1024x700 and 1440x900, screenshotted to
## docs/screenshots/window-*.png (make screenshots renders the tabs on Fyne's software canvas instead)
window-shots: build
	@if [ ! -f $(DEMO_DIR)/case.db ]; then ./$(BIN) demo $(DEMO_DIR); fi
	scripts/window-shots.sh $(BIN) $(DEMO_DIR) docs/screenshots

clean:
	rm -rf bin build
