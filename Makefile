# Facemoji: `make demo` and `make test` do all set-up on a fresh Debian machine.
SHELL := /bin/bash
CONFIG ?= Release
DIST := dist
FACEMOJI := $(DIST)/facemoji

.PHONY: setup setup-reference build pack test test-fast test-nosimd format-check demo bench fixtures clean

setup:
	@tools/setup.sh

# Debian's python3-torch, python3-opencv and numpy with OpenBLAS: for fixtures and benchmarks only.
setup-reference:
	@tools/setup.sh --reference

build: setup
	dotnet publish src/Facemoji.Cli/Facemoji.Cli.csproj -c $(CONFIG) -o $(DIST) --nologo -v quiet
	# The ONNX Runtime reference of `facemoji bench infer --onnxruntime`, beside facemoji but never loaded by it.
	dotnet publish src/Facemoji.Benchmarks.OnnxRuntime/Facemoji.Benchmarks.OnnxRuntime.csproj -c $(CONFIG) -o $(DIST)/onnxruntime --nologo -v quiet
	mkdir -p $(DIST)/models && cp models/*.fmj $(DIST)/models/
	cp third_party/mediapipe/*.tflite $(DIST)/models/
	@echo "built $(FACEMOJI)"

# The NuGet packages: the analyser's libraries (Facemoji.Pipeline and what it depends on, with the model and the
# detectors as content) and the facemoji .NET tool, at the Version of Directory.Build.props (Packaging.props).
pack: setup
	rm -rf $(DIST)/nupkg
	dotnet pack Facemoji.sln -c $(CONFIG) -o $(DIST)/nupkg --nologo -v quiet
	@ls $(DIST)/nupkg

TRX := --logger trx --results-directory TestResults

test: setup
	rm -rf TestResults
	dotnet build Facemoji.sln -c $(CONFIG) --nologo -v quiet
	$(MAKE) --no-print-directory pack
	# The package tests (tests/Facemoji.Cli.Tests/Packaging) install and use dist/nupkg; here a missing package fails them.
	FACEMOJI_PACKAGE_TESTS=required dotnet test Facemoji.sln -c $(CONFIG) --no-build --nologo $(TRX)
	$(MAKE) --no-print-directory test-nosimd
	$(MAKE) --no-print-directory format-check
	@tools/test-summary.sh TestResults

# The inner loop: every test except those marked [Trait("Category", "Slow")] (end-to-end runs of the CLI, training,
# browsers, haproxy, fuzzing, ONNX Runtime). `make test` still runs them all.
# The solution is built first only when a file it is built from changed since test-fast last built it: even with
# nothing to do, `dotnet build` of the solution spends seconds evaluating every project. The stamp is touched before
# the build starts, so a file saved during the build counts as changed next time.
FAST_STAMP := obj/test-fast-$(CONFIG).stamp
BUILD_INPUTS := src tests models Facemoji.sln Directory.Build.props Directory.Packages.props Packaging.props .editorconfig
test-fast:
	@if [ -f $(FAST_STAMP) ] && [ -z "$$(find $(BUILD_INPUTS) \( -name bin -o -name obj -o -name TestResults \) -prune -o -newer $(FAST_STAMP) -print -quit)" ]; then \
		echo "test-fast: no source changed since its last build ($(FAST_STAMP)); testing the build there is"; \
	else \
		mkdir -p obj && touch $(FAST_STAMP).next && \
		dotnet build Facemoji.sln -c $(CONFIG) --nologo -v quiet && mv $(FAST_STAMP).next $(FAST_STAMP); \
	fi
	dotnet test Facemoji.sln -c $(CONFIG) --no-build --nologo --filter "Category!=Slow"

# The code as .editorconfig says it should look (whitespace, style and the analyzers); `dotnet format` fixes it.
format-check:
	dotnet format Facemoji.sln --verify-no-changes --no-restore -v quiet

# The SIMD kernels again with AVX2 off (Vector128 path) and with every hardware intrinsic off (scalar path).
test-nosimd:
	DOTNET_EnableAVX512=0 dotnet test tests/Facemoji.Engine.Tests -c $(CONFIG) --no-build --nologo --filter Category=Kernels $(TRX)
	DOTNET_EnableAVX2=0 dotnet test tests/Facemoji.Engine.Tests -c $(CONFIG) --no-build --nologo --filter Category=Kernels $(TRX)
	DOTNET_EnableHWIntrinsic=0 dotnet test tests/Facemoji.Engine.Tests -c $(CONFIG) --no-build --nologo --filter Category=Kernels $(TRX)

demo: build
	$(FACEMOJI) demo

bench: build setup-reference
	bench/run-all.sh

fixtures: setup-reference
	/usr/bin/python3 tools/make_engine_fixtures.py
	/usr/bin/python3 tools/make_optim_fixtures.py
	/usr/bin/python3 tools/make_imaging_fixtures.py
	/usr/bin/python3 tools/make_detector_fixtures.py
	/usr/bin/python3 tools/make_mediapipe_fixtures.py

clean:
	rm -rf $(DIST) obj src/*/bin src/*/obj tests/*/bin tests/*/obj
