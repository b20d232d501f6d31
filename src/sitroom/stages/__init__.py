"""One module per concern; each exposes ``run(draft, ctx)``."""
