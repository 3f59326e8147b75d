"""The database's one vocabulary, shared by the library, the emulator and compare: its values and
commands, the statement a chain of calls writes, and the parser that reads one back."""
