"""Load and robustness tests of the running servers (bot.loadtest.fuzz)."""
