# llmcost - build, test, install.
#
#   make              ./llmcost
#   make test         every test (unit + CLI); non-zero on any failure;
#                     one job per CPU unless -j is given; TESTS="t_a t_b" selects
#   make asan         the whole suite under AddressSanitizer + UBSan
#   make bench        benchmarks (speed and memory figures)
#   make fuzz         libFuzzer targets (clang, ASan+UBSan) in build/fuzz/bin
#   make fuzz-smoke   each fuzz target for FUZZ_SECONDS (default 30); fails on a crash
#   make valgrind     the whole suite under valgrind (zero errors, zero leaks)
#   make complexity   fails on a function over pmccabe score 50 or 200 lines
#   make install PREFIX=/usr/local DESTDIR=
#   make data         rebuild the mined rows of data/ from the price sheets' git
#                     histories (LLM_PRICES=, GENAI_PRICES=, LITELLM= name them)
#                     and data/quality.csv from the leaderboards' (ARENA_CSV=,
#                     ARENA_CATALOG=)
#   make clean
#   make DEVELOPER=1  warnings become errors

# as many jobs as CPUs unless -j is given (`make -j1 test`: one at a time)
ifeq ($(filter -j%,$(MAKEFLAGS)),)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 1)
endif

PREFIX ?= /usr/local
BUILD ?= build
CC ?= cc
CFLAGS ?= -O2 -g
PKGS = sqlite3 libcurl libcjson libpcre2-8 zlib libpq

WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wno-unused-parameter -Wformat=2 -Wvla -Wno-format-nonliteral
ifdef DEVELOPER
WARN += -Werror
endif
ifdef SANITIZE
CFLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -include lib/compat.h -pthread $(PKG_CFLAGS) $(WARN) $(CFLAGS) -MMD -MP

# Layers the compiler enforces: cmd -> ingest | pricing | report -> lib.
# tokenize/ sits between lib and the rest: it sees lib; pricing and cmd see it.
# Each folder is compiled with only the include paths it may use, so a
# lower layer that includes an upper layer's header does not compile.
# (A quoted include also finds headers beside the including file: each
# folder sees its own.)  Tests and fuzz targets see the four layers below
# cmd/, never cmd/.  `make check-layers` (run by `make test`) proves the
# paths are restrictive and that no include names a path.
LAYERS = lib tokenize pricing ingest report cmd
INC_lib = -Ilib
INC_tokenize = -Ilib -Itokenize
INC_pricing = -Ilib -Itokenize -Ipricing
INC_ingest = -Ilib -Iingest
INC_report = -Ilib -Ireport
INC_cmd = -Ilib -Itokenize -Ipricing -Iingest -Ireport -Icmd
INC_tests = -Ilib -Itokenize -Ipricing -Iingest -Ireport
LIBS = $(PKG_LIBS) -lunistring -lm -pthread

EMBEDDED = data/schema.sql data/providers.csv data/models.csv data/aliases.csv \
	   data/prices.csv data/quality.csv data/lifecycle.csv data/meta.csv data/tasks.json \
	   data/plans.csv

CORE_SRC = $(wildcard lib/*.c tokenize/*.c pricing/*.c ingest/*.c report/*.c)
CMD_SRC = $(wildcard cmd/*.c)
CORE_OBJ = $(CORE_SRC:%.c=$(BUILD)/%.o)
CMD_OBJ = $(CMD_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRC = $(wildcard tests/tools/*.c)
TOOL_BIN = $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)
# fuzz targets: libFuzzer binaries under `make fuzz`, and plain replay
# binaries (tests/fuzz/replay.c as main) that `make test` runs on the seed
# corpus and the kept crash inputs
FUZZ_SRC = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN = $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/bin/%)
REPLAY_BIN = $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/replay/%)
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 30
FUZZ_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined \
	     -fno-sanitize-recover=all

BIN = $(if $(SANITIZE),$(BUILD)/llmcost,llmcost)

.PHONY: all test test-prep unit cli asan bench install uninstall clean data deps check-deps check-layers \
	fuzz fuzz-bins fuzz-smoke valgrind complexity docs $(addprefix test-,$(ALL_TESTS))
.DELETE_ON_ERROR:

all: check-deps $(BIN)

check-deps:
	@pkg-config --exists $(PKGS) || { \
	  echo "missing build dependencies: run ./install.sh, or:"; \
	  echo "  apt-get install $(shell cat .ci/packages-run)"; \
	  exit 1; }

$(BIN): $(CMD_OBJ) $(CORE_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# every file is compiled with -include lib/compat.h: an object older than it
# (built before it existed) is rebuilt
$(BUILD)/%.o: %.c lib/compat.h
	@mkdir -p $(dir $@)
	$(CC) $(INC_$(firstword $(subst /, ,$*))) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/lib/embed.o: $(EMBEDDED)

# the vocabularies (tools/tokconv.py), compiled in compressed
$(BUILD)/tokenize/vocab.o: $(wildcard data/tokenizers/*.tkz)

$(BUILD)/tests/%: tests/unit/%.c $(CORE_OBJ) lib/compat.h
	@mkdir -p $(dir $@)
	$(CC) $(INC_tests) $(ALL_CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $(filter %.c %.o,$^) $(LIBS)

# the option parser of cmd/ and the helpers it prints with
$(BUILD)/tests/test_opt: tests/unit/test_opt.c $(BUILD)/cmd/opt.o $(BUILD)/cmd/util.o $(CORE_OBJ) lib/compat.h
	@mkdir -p $(dir $@)
	$(CC) $(INC_cmd) $(ALL_CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $(filter %.c %.o,$^) $(LIBS)

$(BUILD)/tools/%: tests/tools/%.c lib/compat.h
	@mkdir -p $(dir $@)
	$(CC) $(INC_lib) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(filter %.c %.o,$^) $(LIBS)

FUZZ_HDR = $(wildcard tests/fuzz/*.h tests/fuzz/*.inc)

$(BUILD)/replay/%: tests/fuzz/%.c tests/fuzz/replay.c $(CORE_OBJ) $(FUZZ_HDR) lib/compat.h
	@mkdir -p $(dir $@)
	$(CC) $(INC_tests) $(ALL_CFLAGS) -Itests/fuzz $(LDFLAGS) -o $@ $(filter %.c %.o,$^) $(LIBS)

$(BUILD)/bin/%: tests/fuzz/%.c $(CORE_OBJ) $(FUZZ_HDR) lib/compat.h
	@mkdir -p $(dir $@)
	$(CC) $(INC_tests) $(ALL_CFLAGS) -Itests/fuzz -fsanitize=fuzzer $(LDFLAGS) -o $@ $(filter %.c %.o,$^) $(LIBS)

# The layer rule, checked: (1) no #include names a path ("../x.h" would
# step around the include paths); (2) each layer's include paths really
# hide the layers above it: a probe including one header of each upper
# layer must not be found (__has_include) with that layer's flags.
LAYER_PROBE_cmd = cmd.h
LAYER_PROBE_report = usage_report.h
LAYER_PROBE_ingest = usage.h
LAYER_PROBE_pricing = cost.h
LAYER_PROBE_tokenize = tokenize.h
LAYER_ABOVE_lib = tokenize pricing ingest report cmd
LAYER_ABOVE_tokenize = pricing ingest report cmd
LAYER_ABOVE_pricing = ingest report cmd
LAYER_ABOVE_ingest = tokenize pricing report cmd
LAYER_ABOVE_report = tokenize pricing ingest cmd

check-layers:
	@bad=$$(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"]*/' \
	  $(foreach l,$(LAYERS),$(l)/*.c $(l)/*.h) /dev/null); \
	if [ -n "$$bad" ]; then echo "check-layers: an include names a path:"; \
	  echo "$$bad"; exit 1; fi
	@mkdir -p $(BUILD)/layers
	@for l in lib tokenize pricing ingest report; do \
	  case $$l in lib) above="$(LAYER_ABOVE_lib)"; inc="$(INC_lib)";; \
	    tokenize) above="$(LAYER_ABOVE_tokenize)"; inc="$(INC_tokenize)";; \
	    pricing) above="$(LAYER_ABOVE_pricing)"; inc="$(INC_pricing)";; \
	    ingest) above="$(LAYER_ABOVE_ingest)"; inc="$(INC_ingest)";; \
	    report) above="$(LAYER_ABOVE_report)"; inc="$(INC_report)";; esac; \
	  for u in $$above; do \
	    case $$u in cmd) h=$(LAYER_PROBE_cmd);; report) h=$(LAYER_PROBE_report);; \
	      ingest) h=$(LAYER_PROBE_ingest);; pricing) h=$(LAYER_PROBE_pricing);; \
	      tokenize) h=$(LAYER_PROBE_tokenize);; esac; \
	    [ -f $$u/$$h ] || { echo "check-layers: probe $$u/$$h missing"; exit 1; }; \
	    printf '#if __has_include("%s")\n#error reachable\n#endif\n' $$h \
	      > $(BUILD)/layers/probe.c; \
	    $(CC) $$inc -fsyntax-only $(BUILD)/layers/probe.c 2>/dev/null || { \
	      echo "check-layers: $$l/ can include $$u/$$h"; exit 1; }; \
	  done; \
	done
	@echo "check-layers: ok"

# every test: each unit test binary and each CLI test file (tests/cli/t_*.sh)
# is its own target (test-NAME), so they run in parallel (one job per CPU by default);
# each writes its result to $(RESULTS)/NAME.{out,rc} and the summary comes
# last.  TESTS="t_a test_b" runs only those.  The slowest files are listed
# first so that a parallel run starts them early.
RESULTS = $(BUILD)/results
UNIT_NAMES = $(notdir $(UNIT_BIN))
CLI_NAMES = $(sort $(basename $(notdir $(wildcard tests/cli/t_*.sh))))
SLOW_TESTS = t_badinput t_injection t_closed_fds t_faults_usage t_usage_files t_estimate \
	     t_usage_audio t_builtin_current t_usage t_lifecycle
# the PostgreSQL runs start early too (t_pg_neutral re-runs the backend-neutral
# files against a server of its own; `make test LLMCOST_TEST_STORE=pg
# TESTS=t_x` runs any file so, tests/cli/pg.sh)
SLOW_TESTS += t_pg_neutral t_pg_server
ALL_TESTS = $(filter $(CLI_NAMES),$(SLOW_TESTS)) $(UNIT_NAMES) \
	    $(filter-out $(SLOW_TESTS),$(CLI_NAMES))
TEST_NAMES = $(if $(TESTS),$(filter $(TESTS),$(ALL_TESTS)),$(ALL_TESTS))
TEST_ENV = LLMCOST=$(abspath $(BIN)) TOOLS=$(abspath $(BUILD)/tools) \
	   FUZZ_REPLAY=$(abspath $(BUILD)/replay) LLMCOST_SANITIZE=$(SANITIZE) \
	   UNIT_DIR=$(abspath $(BUILD)/tests)

test: test-prep $(addprefix test-,$(TEST_NAMES))
	@sh tests/run.sh summary $(RESULTS) $(TEST_NAMES)

test-prep: check-deps check-layers $(BIN) $(UNIT_BIN) $(TOOL_BIN) $(REPLAY_BIN)
	@$(if $(filter-out $(ALL_TESTS),$(TESTS)),echo "no such test: $(filter-out $(ALL_TESTS),$(TESTS))"; exit 1)
	@rm -rf $(RESULTS) && mkdir -p $(RESULTS)

$(addprefix test-,$(ALL_TESTS)): test-%: test-prep
	@$(TEST_ENV) sh tests/run.sh one $* $(RESULTS)

asan:
	$(MAKE) SANITIZE=1 BUILD=build/asan test

# libFuzzer build: its own objects (clang, fuzzer-no-link instrumentation)
fuzz:
	$(MAKE) BUILD=build/fuzz CC=$(FUZZ_CC) CFLAGS="$(FUZZ_FLAGS)" \
	  LDFLAGS="-fsanitize=address,undefined" fuzz-bins

fuzz-bins: check-deps $(FUZZ_BIN)

fuzz-smoke: fuzz
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/smoke.sh build/fuzz/bin

# the suite with every llmcost run and unit test under valgrind
valgrind: check-deps llmcost $(UNIT_BIN) $(TOOL_BIN) $(REPLAY_BIN)
	@sh tests/valgrind.sh $(abspath llmcost) $(abspath $(BUILD))

# the size and complexity gate (pmccabe; limits and exceptions in
# tests/complexity.sh and tests/complexity.allow)
complexity:
	@sh tests/complexity.sh

bench: $(BIN) $(TOOL_BIN)
	@LLMCOST=$(abspath $(BIN)) TOOLS=$(abspath $(BUILD)/tools) sh tests/bench/run.sh

# the data build (tools/databuild.py; see data/SOURCES.md, "The data build")
LLM_PRICES ?= /work/.mirror/simonw+llm-prices/repo
GENAI_PRICES ?= /work/.mirror/pydantic+genai-prices/repo
LITELLM ?= /work/.mirror/RoCry+llm-api-price/repo
ARENA_CSV ?= /work/.mirror/fboulnois+llm-leaderboard-csv/repo
ARENA_CATALOG ?= /work/.mirror/lmarena+arena-catalog/repo
# the prices first: the quality map checks its model ids against models.csv
data:
	python3 tools/databuild.py --prices data/prices.csv --models data/models.csv \
	  --aliases data/aliases.csv --map data/build/map.csv --settled data/build/settled.csv \
	  --generated data/build/generated.csv --meta data/meta.csv \
	  --llm-prices $(LLM_PRICES) --genai-prices $(GENAI_PRICES) --litellm $(LITELLM) \
	  --out data/prices.csv --review data/build/review.txt
	python3 tools/qualitybuild.py --csv-repo $(ARENA_CSV) --catalog-repo $(ARENA_CATALOG) \
	  --review data/build/quality_review.txt

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/llmcost

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/llmcost

clean:
	rm -rf build llmcost

-include $(CORE_OBJ:.o=.d) $(CMD_OBJ:.o=.d)

# the README's charts (docs/*.png), drawn from the built-in data (docs/draw.sh)
docs: $(BIN)
	sh docs/draw.sh
