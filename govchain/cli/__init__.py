"""The ``govchain`` command line: one click group per concern, thin (parse, call the SDK, print)."""
