# Makefile for the e-paper: follows the one `pelican-quickstart` writes, plus the
# venv, the converter (`content`) and the tests.  `make html` and `make test` are all a
# fresh machine needs.

PY_SYS ?= python3
VENV ?= .venv
PY = $(VENV)/bin/python
PELICAN ?= $(VENV)/bin/pelican
PELICANOPTS ?=

# The repository's own paper: `make html` builds it, `make github` publishes it to gh-pages.
DEFAULT_PAPER ?= zjrb
PAPER ?= $(DEFAULT_PAPER)
# Extra options for the converter (e.g. CONVERTOPTS="--lang en --all")
CONVERTOPTS ?=
export PAPER

BASEDIR = $(CURDIR)
RAWDIR = $(BASEDIR)/raw/$(PAPER)
INPUTDIR = $(BASEDIR)/content/$(PAPER)
# One output folder and one Pages branch per paper: two papers never overwrite each other.
OUTPUTDIR ?= $(BASEDIR)/output/$(PAPER)
CONFFILE = $(BASEDIR)/pelicanconf.py
PUBLISHCONF = $(BASEDIR)/publishconf.py

ifeq ($(PAPER),$(DEFAULT_PAPER))
GITHUB_PAGES_BRANCH ?= gh-pages
else
GITHUB_PAGES_BRANCH ?= gh-pages-$(PAPER)
endif
GITHUB_PAGES_COMMIT_MESSAGE ?= Generate site
GITHUB_PAGES_REMOTE ?= origin
THIS_MAKEFILE := $(abspath $(lastword $(MAKEFILE_LIST)))
FORCE ?=
# publish: the site's absolute address (https://<user>.github.io/<repo>, or the custom
# domain); CNAME: the custom domain, written to output/CNAME for the gh-pages route.
SITEURL ?=
CNAME ?=

# Past GitHub Pages' 1 GB (docs/publishing.md): MEDIA_URL, the media's base URL (publish
# builds link page pictures, PDFs and story pictures there and write them to MEDIA_DIR, not
# the site); MEDIA_REMOTE=<rclone remote>:<bucket>/<path>, where `make media` (and `make
# publish`, before any page goes out) uploads them; PAGE_PDF=none or a URL pattern of the
# paper's own PDF host leaves the PDFs out; DEPLOY=rclone REMOTE=<remote>:<bucket> puts the
# whole site on a bucket (`make deploy`).  SITE_LIMIT/FILE_LIMIT (bytes): a host's other limits.
MEDIA_URL ?=
MEDIA_DIR ?= $(OUTPUTDIR).media
MEDIA_REMOTE ?=
PAGE_PDF ?=
DEPLOY ?= github
REMOTE ?=
SITE_LIMIT ?=
FILE_LIMIT ?=
export MEDIA_URL MEDIA_DIR PAGE_PDF
LIMITS_HOST = $(if $(filter rclone,$(DEPLOY)),bucket,github-pages)

DEBUG ?= 0
ifeq ($(DEBUG), 1)
	PELICANOPTS += -D
endif

RELATIVE ?= 0
ifeq ($(RELATIVE), 1)
	PELICANOPTS += --relative-urls
endif

SERVER ?= "0.0.0.0"
PORT ?= 0
ifneq ($(PORT), 0)
	PELICANOPTS += -p $(PORT)
endif

# SHARDS=1 builds one process per year of the archive plus a stitch (tools/shards.py, same
# output byte for byte): for archives of many years, where a daily update then builds only
# the latest year.  The shards are Dask tasks: on a LocalCluster of JOBS worker processes
# (default: the cores), or with SCHEDULER=tcp://host:8786 on a cluster whose workers see
# this checkout, the content and the output folder at the same paths.
SHARDS ?= 0
JOBS ?=
SCHEDULER ?=
ifeq ($(SHARDS), 1)
	BUILDER = "$(BASEDIR)/tools/shards.py" $(if $(JOBS),--jobs $(JOBS),) $(if $(SCHEDULER),--scheduler $(SCHEDULER),)
else
	BUILDER = "$(BASEDIR)/tools/build.py"
endif

# Three pinned sets, each installed once into .venv (a stamp per set): the build
# (`make html`), the year shards on Dask (`SHARDS=1`), and the tests and lint.
STAMP = $(VENV)/.installed
SHARDS_STAMP = $(VENV)/.installed-shards
TEST_STAMP = $(VENV)/.installed-test
PUBLISH_STAMP = $(VENV)/.installed-publish
ifeq ($(SHARDS), 1)
	BUILD_STAMP = $(SHARDS_STAMP)
else
	BUILD_STAMP = $(STAMP)
endif

.PHONY: help venv content html site clean regenerate serve serve-global devserver \
        publish github test lint bench check-report gold media deploy deploy-settings

help:
	@echo 'Makefile for the e-paper ($(PAPER))                                    '
	@echo '                                                                          '
	@echo 'Usage:                                                                    '
	@echo '   make html                  convert raw/$$PAPER and build output/       '
	@echo '   make content               convert raw/$$PAPER into content/$$PAPER only '
	@echo '   make test                  run the tests (sets up .venv first)         '
	@echo '   make gold                  the converter against tests/gold (fast check)'
	@echo '   make lint                  ruff over the project                       '
	@echo '   make clean                 remove output/ and caches (content/ is kept)  '
	@echo '   make regenerate            regenerate files upon modification          '
	@echo '   make publish               build with publishconf.py (refuses on errors)'
	@echo '   make serve [PORT=8000]     serve site at http://localhost:8000         '
	@echo '   make devserver [PORT=8000] serve and regenerate together               '
	@echo '   make github                publish output/ to the gh-pages branch      '
	@echo '   make media                 upload the media to MEDIA_REMOTE (rclone)   '
	@echo '   make deploy DEPLOY=rclone REMOTE=r:bucket  the whole site to a bucket   '
	@echo '   make bench                 run the benchmarks in benchmarks/           '
	@echo '                                                                          '
	@echo 'Set PAPER=rmrb to build another paper, FORCE=1 to publish despite errors, '
	@echo 'DEBUG=1 for debugging, RELATIVE=1 for relative URLs, SHARDS=1 [JOBS=n] to  '
	@echo 'build an archive of many years one year per process (same output), on Dask:'
	@echo 'a LocalCluster, or SCHEDULER=tcp://host:8786 for a running cluster.       '

$(STAMP): requirements.txt
	test -x $(PY) || $(PY_SYS) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

$(SHARDS_STAMP): $(STAMP) requirements-shards.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-shards.txt
	touch $(SHARDS_STAMP)

$(PUBLISH_STAMP): $(STAMP) requirements-publish.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-publish.txt
	touch $(PUBLISH_STAMP)

$(TEST_STAMP): $(STAMP) requirements-shards.txt requirements-publish.txt requirements-test.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $(TEST_STAMP)

venv: $(STAMP)

# A refused dump (exit 1: errors in the report) is left out and the rest still builds;
# make publish refuses on the report's errors (check-report).  Other failures stop here.
content: $(STAMP)
	@$(PY) -m converters "$(RAWDIR)" --out "$(INPUTDIR)" --paper $(PAPER) $(CONVERTOPTS) || [ $$? -eq 1 ]

html: content $(BUILD_STAMP)
	$(PY) $(BUILDER) "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(CONFFILE)" $(PELICANOPTS)

clean:
	[ ! -d "$(OUTPUTDIR)" ] || rm -rf "$(OUTPUTDIR)"
	rm -rf "$(OUTPUTDIR)"/../.$(notdir $(OUTPUTDIR)).*
	rm -rf "$(MEDIA_DIR)"
	rm -rf "$(BASEDIR)/.cache"

regenerate: content
	$(PY) "$(BASEDIR)/tools/build.py" -r "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(CONFFILE)" $(PELICANOPTS)

# As GitHub Pages serves it: the 404 page for a missing path, BASE=/<repo> for a project site.
SERVE_PORT = $(if $(filter-out 0,$(PORT)),$(PORT),8000)
BASE ?=
serve: $(STAMP)
	$(PY) "$(BASEDIR)/tools/serve.py" "$(OUTPUTDIR)" --port $(SERVE_PORT) $(if $(BASE),--base $(BASE),)

serve-global: $(STAMP)
	$(PY) "$(BASEDIR)/tools/serve.py" "$(OUTPUTDIR)" --port $(SERVE_PORT) --bind $(SERVER) $(if $(BASE),--base $(BASE),)

devserver: content
	"$(PELICAN)" -lr "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(CONFFILE)" $(PELICANOPTS)

# Converts (as `make content` does), shows the report, fails on errors, and on pages or
# stories the last publish had and this one would lose (unless their dump was removed on
# purpose), unless FORCE=1.
check-report: $(STAMP)
	@status=0; $(PY) -m converters "$(RAWDIR)" --out "$(INPUTDIR)" --paper $(PAPER) $(CONVERTOPTS) || status=$$?; \
	$(PY) -m converters.report "$(INPUTDIR)" --publish-check $(if $(FORCE),--force,) || exit $$?; \
	if [ $$status -ne 0 ] && [ -z "$(FORCE)" ]; then \
	  echo "refusing to publish: the conversion failed (exit $$status); FORCE=1 publishes anyway" >&2; \
	  exit 1; fi

publish: check-report $(BUILD_STAMP)
	@[ -n "$(SITEURL)" ] || { echo "make publish needs SITEURL, e.g." \
	  "SITEURL=https://<user>.github.io/<repo> make publish (see docs/publishing.md)" >&2; exit 2; }
	SITEURL="$(SITEURL)" $(PY) $(BUILDER) "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(PUBLISHCONF)" $(PELICANOPTS)
	@if [ -n "$(CNAME)" ]; then printf '%s\n' "$(CNAME)" > "$(OUTPUTDIR)/CNAME"; \
	else rm -f "$(OUTPUTDIR)/CNAME"; fi
	@# The host's limits (refuses over them, warns from 80 %), then the media, before any page goes out.
	@$(PY) "$(BASEDIR)/tools/publish_remote.py" size "$(OUTPUTDIR)" --host $(LIMITS_HOST) \
	  $(if $(MEDIA_URL),--media-dir "$(MEDIA_DIR)",) $(if $(SITE_LIMIT),--site-limit $(SITE_LIMIT),) \
	  $(if $(FILE_LIMIT),--file-limit $(FILE_LIMIT),)
	@if [ -n "$(MEDIA_REMOTE)" ]; then $(MAKE) --no-print-directory media; \
	elif [ -n "$(MEDIA_URL)" ]; then echo "MEDIA_URL is set but MEDIA_REMOTE is not: upload $(MEDIA_DIR)" \
	  "to $(MEDIA_URL) before the pages (make media MEDIA_REMOTE=<remote>:<bucket>/<path>)"; fi
	@$(PY) -m converters.report "$(INPUTDIR)" --record-published

github: publish
	$(VENV)/bin/ghp-import -m "$(GITHUB_PAGES_COMMIT_MESSAGE)" -b $(GITHUB_PAGES_BRANCH) "$(OUTPUTDIR)" --no-jekyll
	@if url=$$(git remote get-url "$(GITHUB_PAGES_REMOTE)" 2>/dev/null); then \
	  echo "pushing branch $(GITHUB_PAGES_BRANCH) to $(GITHUB_PAGES_REMOTE) = $$url" \
	    "(your own repository? if not: git remote set-url $(GITHUB_PAGES_REMOTE) <your repository's URL>)"; \
	  git push "$(GITHUB_PAGES_REMOTE)" $(GITHUB_PAGES_BRANCH); \
	else echo "no '$(GITHUB_PAGES_REMOTE)' remote: $(GITHUB_PAGES_BRANCH) was updated locally, not pushed" \
	  "(git remote add $(GITHUB_PAGES_REMOTE) <url>, then make github again)"; fi

# The media folder of a MEDIA_URL build to the bucket: new or changed files only (by
# checksum), nothing deleted there (a page online may link to it).  `make publish` runs it.
media: $(PUBLISH_STAMP)
	@[ -n "$(MEDIA_REMOTE)" ] || { echo "make media needs MEDIA_REMOTE=<rclone remote>:<bucket>/<path>" \
	  "(see docs/publishing.md)" >&2; exit 2; }
	$(PY) "$(BASEDIR)/tools/publish_remote.py" media "$(MEDIA_DIR)" "$(MEDIA_REMOTE)"

# The whole site on a bucket (DEPLOY=rclone REMOTE=<remote>:<bucket>[/path]): media and assets,
# then the pages, then what the site no longer has is deleted.  DEPLOY=github: `make github`.
deploy-settings:
	@[ "$(DEPLOY)" != rclone ] || [ -n "$(REMOTE)" ] || { echo "make deploy DEPLOY=rclone needs" \
	  "REMOTE=<rclone remote>:<bucket>[/path] (see docs/publishing.md)" >&2; exit 2; }
	@[ "$(DEPLOY)" = rclone ] || [ "$(DEPLOY)" = github ] || { echo "DEPLOY is github or rclone," \
	  "not '$(DEPLOY)'" >&2; exit 2; }

deploy: deploy-settings $(if $(filter rclone,$(DEPLOY)),publish $(PUBLISH_STAMP),github)
ifeq ($(DEPLOY),rclone)
	$(PY) "$(BASEDIR)/tools/publish_remote.py" site "$(OUTPUTDIR)" "$(REMOTE)"
endif

# The fast check a deploy waits for (the Pages workflow): every bundled sample in raw/
# converted afresh and compared field by field with tests/gold/ (build set only, no pytest).
gold: $(STAMP)
	@work=$$(mktemp -d) && trap 'rm -rf "$$work"' EXIT && \
	for paper in $$(ls "$(BASEDIR)/tests/gold" | sed -n 's/^\([a-z0-9_]*\)-.*\.json$$/\1/p' | sort -u); do \
	  $(PY) -m converters "$(BASEDIR)/raw/$$paper" --out "$$work/$$paper" --paper $$paper > "$$work/$$paper.log" \
	    || { cat "$$work/$$paper.log"; exit 1; }; \
	done && $(PY) -m converters.gold "$$work" "$(BASEDIR)/tests/gold"

test: $(TEST_STAMP)
	$(PY) -m pytest -q $(PYTESTOPTS)

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .

bench: $(TEST_STAMP)
	$(PY) benchmarks/run_all.py
