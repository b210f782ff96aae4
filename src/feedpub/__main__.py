from feedpub.cli import main

main()
