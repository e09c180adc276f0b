from alignment_tui.cli import main

main()
