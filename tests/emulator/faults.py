"""Fault injection for the emulator: the ways Telegram's HTTP answers go wrong in the field.

A test adds rules to `emu.faults`; every API request is checked against them before it is
handled. Kinds:

* ``"5xx"``: answer 502 Bad Gateway without doing anything (PTB raises NetworkError);
* ``"drop"``: close the connection without doing anything (httpx: RemoteProtocolError);
* ``"drop_after"``: do the call (it takes effect: a message is sent, an edit applied) and
  then close the connection, so the client never learns it worked ("a timeout after the
  call took effect", without the test waiting for a real read timeout);
* ``"slow"``: wait ``delay`` seconds, then answer normally;
* ``"error"``: answer with a Telegram error (``code``, ``description``, optional
  ``parameters`` such as ``{"retry_after": 15}`` for a 429), e.g. 400
  "Bad Request: query is too old and response timeout expired or query ID is invalid".

A rule matches a method (case-insensitive; ``None`` = every method but getUpdates unless
named), optionally a predicate on the decoded parameters, and fires either for the next
``count`` matching calls or at random with probability ``rate`` (seeded, so reproducible).
Every injected fault is logged in `emu.calls` with ``description`` starting "injected".
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

KINDS = frozenset({"5xx", "drop", "drop_after", "slow", "error"})


@dataclass
class FaultRule:
    """One rule; see the module docstring. `fired` counts how often it struck."""

    kind: str
    methods: frozenset[str] | None = None
    count: int | None = 1
    rate: float | None = None
    predicate: Callable[[dict[str, Any]], bool] | None = None
    delay: float = 0.0
    code: int = 400
    description: str = "Bad Request: injected error"
    fired: int = 0
    parameters: dict[str, Any] | None = None  # ResponseParameters of an "error" answer

    def matches(self, method: str, params: dict[str, Any], rng: random.Random) -> bool:
        name = method.lower()
        if self.methods is None:
            if name == "getupdates":
                return False
        elif name not in self.methods:
            return False
        if self.predicate is not None and not self.predicate(params):
            return False
        if self.rate is not None:
            return rng.random() < self.rate
        return self.count is None or self.fired < self.count


@dataclass
class FaultPlan:
    """The rules in force; `emu.faults` is one of these."""

    seed: int = 7
    rules: list[FaultRule] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def add(
        self,
        kind: str,
        methods: str | list[str] | None = None,
        *,
        count: int | None = 1,
        rate: float | None = None,
        predicate: Callable[[dict[str, Any]], bool] | None = None,
        delay: float = 0.0,
        code: int = 400,
        description: str = "Bad Request: injected error",
        parameters: dict[str, Any] | None = None,
    ) -> FaultRule:
        """Add a rule. With `rate` set, it fires at random for as long as it is in force."""
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; one of {sorted(KINDS)}")
        names = None
        if methods is not None:
            names = frozenset(
                m.lower() for m in ([methods] if isinstance(methods, str) else methods)
            )
        rule = FaultRule(
            kind,
            names,
            None if rate is not None else count,
            rate,
            predicate,
            delay,
            code,
            description,
            parameters=parameters,
        )
        self.rules.append(rule)
        return rule

    def remove(self, rule: FaultRule) -> None:
        if rule in self.rules:
            self.rules.remove(rule)

    def clear(self) -> None:
        self.rules.clear()

    def pick(self, method: str, params: dict[str, Any]) -> FaultRule | None:
        """The first rule that strikes this call (and count it), or None."""
        for rule in self.rules:
            if rule.matches(method, params, self._rng):
                rule.fired += 1
                return rule
        return None

    @property
    def fired(self) -> int:
        """How many faults were injected so far, over all rules."""
        return sum(rule.fired for rule in self.rules)
