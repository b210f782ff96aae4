from feedpub.cli import run

run()
