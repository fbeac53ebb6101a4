from padu.cli import main

raise SystemExit(main())
