from oretrace.cli import main

main()
