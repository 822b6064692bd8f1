# Safe Jingdezhen. The two commands of README.md:
#   make run    build and run the app at http://127.0.0.1:3000 (embedded SQLite)
#   make test   every test and quality gate (what CI runs)
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: run test site setup lint unit e2e fmt

run: ## Build everything, then serve on http://127.0.0.1:3000
	.ci/setup build
	.ci/build-site
	target/release/safejdz serve --demo

test: ## fmt, clippy (server and wasm builds), unit + integration (SQLite, PostgreSQL), Playwright
	.ci/test

site: ## Build the site and the release server without running it
	.ci/setup build
	.ci/build-site

fmt:
	cargo fmt --all
