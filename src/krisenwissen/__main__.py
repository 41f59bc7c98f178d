from krisenwissen.cli import main

main()
