# xmpp.prosody: one entry point for developers and CI. `make help` lists the targets.
SHELL := /bin/bash
.ONESHELL:
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV      := .venv
BIN       := $(CURDIR)/$(VENV)/bin
COLLROOT  := $(CURDIR)/.build/collections
COLLLINK  := $(COLLROOT)/ansible_collections/xmpp/prosody
RELEASES  ?= bookworm trixie
SCENARIOS ?= minimal modules debian enterprise docker backup migrate dev
export PATH := $(BIN):$(PATH)
export ANSIBLE_COLLECTIONS_PATH := $(COLLROOT)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
export PYTHONPATH := $(COLLROOT)
export PY_COLORS := 0
export ANSIBLE_FORCE_COLOR := 0

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV) || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null && python3 -m venv $(VENV); }
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(COLLLINK):
	mkdir -p $(dir $(COLLLINK))
	ln -sfn ../../../.. $(COLLLINK)

venv: $(VENV)/.installed $(COLLLINK) ## Create the virtualenv from the pinned requirements

docker: ## Make sure a Docker engine answers (installs docker.io and starts dockerd if needed)
	tests/integration/ensure-docker.sh

images: docker ## Build the Debian 12 and 13 test images (only when their definition changed)
	tests/integration/images/build.sh $(RELEASES)

lint: venv ## ruff, luacheck, ansible-lint (production profile), generated files in sync, short Jinja
	ruff check .
	ruff format --check .
	command -v luacheck >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq lua-check >/dev/null; }
	luacheck --no-color $$(git ls-files --cached --others --exclude-standard '*.lua')
	python tools/generate.py --check
	python tools/check_jinja.py
	antsibull-changelog lint
	ansible-lint --profile production

unit: venv ## Unit tests, including the Lua round-trip property test
	# the backup tests run the real rsync, the health gate's the real probe (lua5.4 with LuaSocket), as on a host
	missing=$$(for p in rsync lua5.4 lua-socket; do dpkg-query -W -f '$${db:Status-Abbrev}' $$p 2>/dev/null | grep -q '^ii' || echo $$p; done)
	[ -z "$$missing" ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; }
	pytest -p no:cacheprovider tests/unit

SANITY := .build/sanity/ansible_collections/xmpp/prosody
sanity: venv ## ansible-test sanity (on a copy of the tree at ansible_collections/xmpp/prosody)
	command -v shellcheck >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null; }
	# ansible-test downloads get-pip.py from a host this network cannot reach: give it a local stand-in.
	pip=$$(python -c "import ansible_test._internal.python_requirements as r, inspect, re; print(re.search(r\"pip='([0-9.]+)'\", inspect.getsource(r)).group(1))")
	mkdir -p ~/.ansible/test/cache
	cp tools/get_pip_offline.py ~/.ansible/test/cache/get_pip_$${pip//./_}.py
	rm -rf $(SANITY) && mkdir -p $(SANITY)
	git ls-files --cached --others --exclude-standard -z | xargs -0 tar -c --no-recursion | tar -x -C $(SANITY)
	# ansible-test lists files with git; the copy sits in an ignored folder, so it gets its own index.
	cd $(SANITY) && git init -q && git add -A && ansible-test sanity --python 3.11 --local --color no

build: venv ## Build the collection tarball into .build/ and check that it holds no development file
	ansible-galaxy collection build --force --output-path .build .
	python tools/check_package.py .build/xmpp-prosody-$$(python -c "import yaml; print(yaml.safe_load(open('galaxy.yml'))['version'])").tar.gz

release: venv ## Release the version galaxy.yml names: CHANGELOG.rst from the fragments, then the checked tarball
	version=$$(python -c "import yaml; print(yaml.safe_load(open('galaxy.yml'))['version'])")
	# antsibull-changelog would silently add the fragments to a version released before
	if python -c "import sys, yaml; sys.exit(sys.argv[1] not in (yaml.safe_load(open('changelogs/changelog.yaml'))['releases'] or {}))" "$$version"; then
	  echo "$$version is already released (changelogs/changelog.yaml): raise version in galaxy.yml first" >&2; exit 1
	fi
	antsibull-changelog lint
	antsibull-changelog release --version "$$version"
	$(MAKE) build

molecule: venv images ## Run every Molecule scenario, one after another (each says how long it took)
	for s in $(SCENARIOS); do
	  start=$$SECONDS
	  molecule test -s $$s
	  echo ">> scenario $$s took $$((SECONDS - start)) s"
	done

OLDEST := $(CURDIR)/.venv-oldest
# The oldest ansible-core meta/runtime.yml claims, in .venv-oldest, with the test tools of requirements.txt; the
# ansible package only for its collections (the dependencies' oldest supported versions), so --no-deps keeps it.
define oldest_core
core=$$(python -c "import re, yaml; print(re.fullmatch(r'>=\s*([0-9.]+)', yaml.safe_load(open('meta/runtime.yml'))['requires_ansible']).group(1))")
[ -x $(OLDEST)/bin/python ] || python3 -m venv $(OLDEST)
grep -E '^[a-z]' requirements.txt | grep -vE '^(ansible|ansible-core|ansible-lint|ansible-builder|antsibull-changelog|ruff)==' > .build/requirements-oldest.txt
$(OLDEST)/bin/pip install --quiet -r .build/requirements-oldest.txt "ansible-core==$$core"
$(OLDEST)/bin/pip install --quiet --no-deps $$(grep -E '^ansible==' requirements.txt)
export PATH=$(OLDEST)/bin:$$PATH
ran=$$(python -c "import ansible.release; print(ansible.release.__version__)")
[ "$$ran" = "$$core" ] || { echo "the oldest run uses ansible-core $$ran, not $$core" >&2; exit 1; }
endef

oldest-unit: venv ## The unit tests on the oldest ansible-core meta/runtime.yml claims
	$(oldest_core)
	echo ">> ansible-core $$ran, the oldest requires_ansible claims: unit tests"
	pytest -p no:cacheprovider -q tests/unit

oldest-scenario: venv images ## The minimal deployment (molecule/oldest) on the oldest ansible-core meta/runtime.yml claims
	$(oldest_core)
	echo ">> ansible-core $$ran, the oldest requires_ansible claims: the minimal deployment (molecule/oldest)"
	molecule test -s oldest

oldest: oldest-unit oldest-scenario ## Both, on the oldest ansible-core meta/runtime.yml claims

checks: lint unit sanity build oldest-unit ## Everything but the scenarios, one after another

# The checks need the CPU while the scenarios mostly wait on their containers: they run beside them, at
# the lowest priority (the scenarios set the pace), and their output follows the scenarios'. The oldest
# ansible-core's scenario comes last (same instances).
test: venv images ## The whole suite (what CI runs)
	nice -n 19 $(MAKE) --no-print-directory -j1 checks > .build/checks.log 2>&1 & checks=$$!
	status=0; $(MAKE) --no-print-directory molecule || status=$$?
	checked=0; wait $$checks || checked=$$?
	echo ">> the checks (lint, unit, sanity, build, unit tests on the oldest ansible-core), run beside the scenarios:"
	cat .build/checks.log
	[ $$checked -eq 0 ] || { echo ">> the checks failed (above)" >&2; exit $$checked; }
	[ $$status -eq 0 ] || { echo ">> a scenario failed (above)" >&2; exit $$status; }
	$(MAKE) --no-print-directory oldest-scenario

demo: venv ## Deploy the demo (Debian 12 container) with playbooks/site.yml and log in with a real XMPP client
	$(MAKE) images RELEASES=bookworm
	tests/integration/demo.sh

bench: venv ## Benchmark the enterprise tier at 10, 100, 1,000 tenants and the debian tier at 100 vhosts (RELEASE=bookworm|trixie)
	$(MAKE) images RELEASES=$(or $(RELEASE),bookworm)
	TIER=enterprise benchmarks/scale/run.sh 10 100 1000
	TIER=debian benchmarks/scale/run.sh 100

bench-accounts: venv ## Benchmark 100 and 1,000 accounts in one call on the minimal (SQL) and debian (file) tiers (RELEASE=bookworm|trixie)
	$(MAKE) images RELEASES=$(or $(RELEASE),bookworm)
	TIER=minimal benchmarks/accounts/run.sh 100 1000
	TIER=debian benchmarks/accounts/run.sh 100 1000

generate: venv ## Rewrite what is generated from the tier table and the schemas (specs, docs, choices)
	python tools/generate.py

clean: ## Remove the build output (not the venv or the images)
	rm -rf .build/*.tar.gz .build/sanity

.PHONY: help venv docker images lint unit sanity build release molecule oldest oldest-unit oldest-scenario checks test demo bench generate clean
