# The two commands a newcomer needs: `make run` and `make test`. Both do all set-up themselves.
.PHONY: run run-production test test-faults chat setup lock bench bench-history bench-channels bench-events bench-webhooks clean

VENV_PY := .venv/bin/python

run: setup
	$(VENV_PY) -m bot.cli run

# The production profile with INSTANCES copies of the Rasa server, action server and webhook
# ingest process behind nginx (PostgreSQL and Redis from DATABASE_URL and REDIS_URL; the
# production settings the README lists must be set). nginx listens on the usual ports.
INSTANCES ?= 2

run-production: setup
	@bash scripts/nginx.sh
	INTAKE_PROFILE=production $(VENV_PY) -m bot.cli run --instances $(INSTANCES)

# Two pytest-xdist workers (the machine has two cores); a file's tests stay on one worker, so a
# module's servers start once. Every test takes its own ports, folder and database.
TEST_WORKERS ?= 2

test: setup
	@bash scripts/browser.sh
	$(VENV_PY) -m bot.cli prepare
	$(VENV_PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

# Only the fault tests (kill -9 of each process, the database cut, unrecorded sends; about 5
# minutes). `make test` runs them too.
test-faults: setup
	$(VENV_PY) -m bot.cli prepare
	$(VENV_PY) -m pytest tests/faults

chat: setup
	$(VENV_PY) -m bot.cli chat

setup:
	@bash scripts/bootstrap.sh

bench: setup
	$(VENV_PY) -m bot.cli prepare
	$(VENV_PY) bench/intake_throughput.py

# Does a turn cost more as a conversation grows? 3 conversations of 320 turns (about 2 minutes).
bench-history: setup
	$(VENV_PY) -m bot.cli prepare
	$(VENV_PY) bench/turn_cost_by_history.py

# Webhook answer and reply times over SMS and Telegram (about 2 minutes).
bench-channels: setup
	$(VENV_PY) -m bot.cli prepare
	$(VENV_PY) bench/channel_latency.py

# The issue 16 matrix: the signed Twilio webhook at 1, 20 and 100 conversations at once, embedded
# and production (PostgreSQL + Redis, 1 and 2 instances behind nginx), stock `rasa init` in the same
# run, cold and unchanged training (about 15 minutes on 2 quiet cores). BENCH_ARGS=--quick: a
# smoke run of about two minutes.
BENCH_ARGS ?=

bench-webhooks: setup
	@bash scripts/nginx.sh
	$(VENV_PY) -m bot.cli prepare
	$(VENV_PY) bench/webhook_matrix.py $(BENCH_ARGS)

# 2,500 seekers registering for one event through the Twilio webhook (about 15 minutes).
bench-events: setup
	$(VENV_PY) -m bot.cli prepare
	$(VENV_PY) bench/event_registration.py

# Re-resolve requirements.in into requirements.lock in a throwaway venv.
lock:
	bash scripts/lock.sh

clean:
	rm -rf var models .pytest_cache
