from corredor.cli import main

main()
