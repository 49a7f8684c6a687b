"""Facts shared by several checks, parsed once per context (`ctx.fact(fn)`) and tested once."""
