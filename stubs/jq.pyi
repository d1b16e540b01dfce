# The part of the jq package (https://github.com/mwilliamson/jq.py) tracegraph uses; the package ships no types.
from typing import Any

class _ProgramWithInput:
    def all(self) -> list[Any]: ...

class _Program:
    def input_value(self, value: Any) -> _ProgramWithInput: ...

def compile(program: str) -> _Program: ...
