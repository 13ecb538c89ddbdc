# eduhq: one GNU Makefile. Targets: all (the eduhq binary), test, demo, docs, fuzz, bench,
# clean. Variables: BUILD=DIR (object directory, default build/), DEVELOPER=1 (-Werror and
# the strict warning set), SANITIZE=1 (ASan+UBSan, default BUILD=build-asan).

PKGS := sqlite3 jansson libmicrohttpd libsodium libzip expat xlsxwriter libpq cairo fontconfig libzstd
ifdef SANITIZE
BUILD ?= build-asan
else
BUILD ?= build
endif

CC ?= cc
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS ?= -O2 -g
CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Isrc -I$(BUILD) $(PKG_CFLAGS) -MMD -MP
LDLIBS = $(PKG_LIBS) -lm
ifdef DEVELOPER
CFLAGS += -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wwrite-strings \
	-Wformat-security
endif
ifdef SANITIZE
CFLAGS += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

SRC := $(wildcard src/*.c src/cmd/*.c)
OBJ := $(SRC:%.c=$(BUILD)/%.o) $(BUILD)/schema_sql.o
LIB_OBJ := $(filter-out $(BUILD)/src/main.o,$(OBJ))
UNIT_SRC := $(wildcard t/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:%.c=$(BUILD)/%)
SHELL_TESTS := $(sort $(wildcard t/t[0-9]*.sh))

# The dashboard (web/, Vue + Vite) is bundled into $(BUILD)/web, which `eduhq serve` serves;
# not under SANITIZE, whose pass runs no browser test. npm ci runs again when the lock changes.
ifndef SANITIZE
WEB := $(BUILD)/web/index.html
endif
WEB_SRC := $(shell find web/src -type f 2>/dev/null) web/index.html web/vite.config.js

all: $(BUILD)/eduhq eduhq $(WEB)

web/node_modules/.eduhq-ci: web/package-lock.json | deps
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(WEB): $(WEB_SRC) web/node_modules/.eduhq-ci
	cd web && EDUHQ_WEB_OUT="$(abspath $(BUILD)/web)" ./node_modules/.bin/vite build --logLevel warn

# ./eduhq is a link to the default build, so that README commands work from the top.
eduhq: $(BUILD)/eduhq
	@if [ "$(BUILD)" = build ]; then ln -sf build/eduhq eduhq; fi

$(BUILD)/eduhq: $(OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libeduhq.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# schema.sql is embedded in the binary as one C string.
$(BUILD)/schema_sql.c: src/schema.sql
	@mkdir -p $(dir $@)
	{ echo '/* generated from src/schema.sql; do not edit */'; \
	  echo 'const char eduhq_schema_sql[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; \
	  echo ';'; } > $@
$(BUILD)/schema_sql.o: $(BUILD)/schema_sql.c
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/t/unit/%: t/unit/%.c $(BUILD)/libeduhq.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(shell pkg-config --cflags cmocka) $(LDFLAGS) -o $@ $< \
		$(BUILD)/libeduhq.a $(LDLIBS) $(shell pkg-config --libs cmocka)

# The engines' benchmarks (bench/*.c, run by bench/*.sh), linked as the unit tests are.
$(BUILD)/bench/%: bench/%.c $(BUILD)/libeduhq.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libeduhq.a $(LDLIBS)

# Install missing Debian packages (as root) before the first compile; fast when present.
deps:
	@scripts/install-deps.sh

test: $(BUILD)/eduhq $(UNIT_BIN) $(WEB) | deps
	CMOCKA_MESSAGE_OUTPUT=TAP EDUHQ="$(abspath $(BUILD)/eduhq)" EDUHQ_BUILD="$(abspath $(BUILD))" \
		$(if $(WEB),EDUHQ_WEB="$(abspath $(BUILD)/web)") \
		prove --exec '' $(UNIT_BIN) $(SHELL_TESTS)

demo: $(BUILD)/eduhq eduhq $(WEB)
	scripts/demo.sh "$(abspath $(BUILD)/eduhq)" "$(abspath $(BUILD)/web)"

docs: $(BUILD)/eduhq
	scripts/gen-docs.sh "$(abspath $(BUILD)/eduhq)"

FUZZ_SRC := $(wildcard t/fuzz/fuzz_*.c)
fuzz: deps
	scripts/fuzz.sh $(FUZZ_SRC)

bench: $(BUILD)/eduhq
	scripts/bench.sh "$(abspath $(BUILD)/eduhq)"

clean:
	rm -rf build build-asan eduhq

.PHONY: all deps test demo docs fuzz bench clean
-include $(OBJ:.o=.d)
