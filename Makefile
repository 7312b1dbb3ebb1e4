# sportello: `make test` is the one test command (CI runs it through .ci/run).
GO      ?= go
BIN     := bin/sportello
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/sportello/sportello/internal/cli.version=$(VERSION)
FUZZTIME ?= 30s
MINGW_CC ?= x86_64-w64-mingw32-gcc

.PHONY: all build deps test lint bench fuzz clean dist

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/sportello

# Installs the Debian packages the tests drive when they are missing:
# softhsm2, opensc, tmux, gcc, wine64 and gcc-mingw-w64-x86-64 (the
# Windows build and its tests under Wine), pcscd, vsmartcard-vpcd,
# pcsc-tools, osslsigncode (make dist's signing); fails loudly when it
# cannot (.ci/install-deps).
deps:
	@.ci/install-deps

test: deps lint
	$(GO) test -race -count=1 ./...

lint:
	$(GO) vet ./...
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=$(MINGW_CC) $(GO) vet ./...
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi
	$(GO) run ./cmd/sportello flows lint

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/flow/
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/config/
	$(GO) test -run '^$$' -fuzz '^FuzzReadReport$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 100x ./internal/diag/

# dist: the binaries users download, with their checksums. The version is
# git describe's. Windows: cross-built with mingw-w64, imports only system
# DLLs; Authenticode-signed with osslsigncode when SIGN_CERT and SIGN_KEY
# are given (SIGN_PASS, SIGN_TIMESTAMP optional; see .ci/sign-exe).
DIST        := dist
DISTFLAGS   := -trimpath -ldflags "$(LDFLAGS) -s -w"

dist:
	rm -rf $(DIST)
	mkdir -p $(DIST)
	CGO_ENABLED=1 GOOS=linux GOARCH=amd64 $(GO) build $(DISTFLAGS) -o $(DIST)/sportello-linux-amd64 ./cmd/sportello
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=$(MINGW_CC) $(GO) build $(DISTFLAGS) -o $(DIST)/sportello-windows-amd64.exe ./cmd/sportello
	@if [ -n "$(SIGN_CERT)" ] || [ -n "$(SIGN_KEY)" ]; then \
		SIGN_CERT="$(SIGN_CERT)" SIGN_KEY="$(SIGN_KEY)" SIGN_PASS="$(SIGN_PASS)" SIGN_TIMESTAMP="$(SIGN_TIMESTAMP)" \
			.ci/sign-exe $(DIST)/sportello-windows-amd64.exe; \
	else \
		echo "dist: sportello-windows-amd64.exe is NOT signed (give SIGN_CERT and SIGN_KEY to sign it)"; \
	fi
	cd $(DIST) && sha256sum sportello-linux-amd64 sportello-windows-amd64.exe > SHA256SUMS
	@echo "dist: $(VERSION)"; cat $(DIST)/SHA256SUMS

clean:
	rm -rf bin $(DIST)
