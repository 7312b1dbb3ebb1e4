# sportello: `make test` is the one test command (CI runs it through .ci/run).
GO      ?= go
BIN     := bin/sportello
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/sportello/sportello/internal/cli.version=$(VERSION)
FUZZTIME ?= 30s

.PHONY: all build deps test lint bench fuzz clean

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/sportello

# Installs the Debian packages the tests drive (softhsm2, opensc, tmux)
# when they are missing; fails loudly when it cannot.
deps:
	@.ci/install-deps

test: deps lint
	$(GO) test -race -count=1 ./...

lint:
	$(GO) vet ./...
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi
	$(GO) run ./cmd/sportello flows lint

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/flow/
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/config/
	$(GO) test -run '^$$' -fuzz '^FuzzReadReport$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 100x ./internal/diag/

clean:
	rm -rf bin
