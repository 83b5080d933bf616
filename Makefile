# lintas — the front door. Meson and Ninja do the work underneath.
#   make          build build/lintas (optimised, with debug info)
#   make demo     build, then serve the demo on http://127.0.0.1:8080
#   make check    style check, sanitizer build, every test
#   make bench    build and run the benchmarks in bench/
#   make fuzz     build the libFuzzer harnesses and run each for FUZZ_SECONDS
#   make install  install the binary (PREFIX=/usr/local)

PREFIX ?= /usr/local
FUZZ_SECONDS ?= 60
MESON ?= meson

.PHONY: all demo check bench fuzz install clean deps

all: deps build/build.ninja
	ninja -C build
	@ln -sf build/lintas lintas 2>/dev/null || true

deps:
	@scripts/deps --check || scripts/deps

build/build.ninja:
	$(MESON) setup build --buildtype=debugoptimized -Db_ndebug=false

build-check/build.ninja:
	$(MESON) setup build-check --buildtype=debug -Db_sanitize=address,undefined \
		-Dc_args=-fno-sanitize-recover=all -Dc_link_args=-fno-sanitize-recover=all

build-fuzz/build.ninja:
	CC=clang $(MESON) setup build-fuzz --buildtype=debug -Dfuzz=true

demo: all
	./build/lintas demo

check: deps build-check/build.ninja build/build.ninja
	scripts/checksrc
	ninja -C build
	ninja -C build-check
	scripts/run-tests build-check

bench: all
	scripts/run-bench build

fuzz: deps build-fuzz/build.ninja
	ninja -C build-fuzz
	scripts/run-fuzz build-fuzz $(FUZZ_SECONDS)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 build/lintas $(DESTDIR)$(PREFIX)/bin/lintas

clean:
	rm -rf build build-check build-fuzz lintas
