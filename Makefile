# Casebook — newcomers run `make run` and `make test`; both set up what they need.
GO       ?= go
TAGS     := migrated_fynedo
BIN      := bin/casebook
DEMO_DIR ?= build/demo-case
APT_PKGS := libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev pkg-config poppler-utils
FUZZTIME ?= 3s

.PHONY: setup build run demo test vet fmt-check fuzz-short fuzz bench package clean

## setup: install the X11/GL headers Fyne needs and poppler-utils (report tests read PDFs back) with
## apt-get, as root or with sudo, and the Go modules
setup:
	@if ! pkg-config --exists gl x11 xcursor xrandr xinerama xi xxf86vm 2>/dev/null || ! command -v pdftotext >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=; \
		elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
		else echo "make setup: need root or sudo to install: $(APT_PKGS)" >&2; exit 1; fi; \
		echo "installing $(APT_PKGS)"; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(APT_PKGS) >/dev/null; \
	fi
	@$(GO) mod download

## build: the casebook binary (GUI and command line in one)
build: setup
	$(GO) build -tags $(TAGS) -o $(BIN) .

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

## test: set up, vet, run every test with the race detector, then each fuzz target briefly
test: setup fmt-check vet
	$(GO) test -race -tags $(TAGS) -count=1 ./...
	@$(MAKE) --no-print-directory fuzz-short

## fuzz-short: every fuzz target for FUZZTIME (CI runs this through make test)
fuzz-short:
	@for pkg in $$($(GO) list ./...); do \
		for t in $$($(GO) test -tags $(TAGS) -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
			echo "fuzz $$pkg $$t ($(FUZZTIME))"; \
			$(GO) test -tags $(TAGS) -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 1s $$pkg >/tmp/casebook-fuzz.log 2>&1 || { cat /tmp/casebook-fuzz.log; exit 1; }; \
		done; \
	done

## bench: generate the reference case once, run the benchmarks and the FTS5 peer, write bench/results.md
bench: setup
	bash bench/run.sh

## package: the Linux tarball with fyne.io/tools
package: setup
	$(GO) run fyne.io/tools/cmd/fyne@v1.7.4 package -os linux -tags $(TAGS) -release

clean:
	rm -rf bin build
