from feedpub.command import run

run()
