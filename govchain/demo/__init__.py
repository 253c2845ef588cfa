"""Demo scenarios on the local chain, with readable output (`govchain demo …`)."""
