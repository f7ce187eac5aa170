"""Evaluating a case: facts -> derivations (durable_rules) -> outcomes per provision.

The outcome logic here is shared by both backends: `durable` (the engine: the
compiled program run stratum by stratum on durable_rules) and `reference` (the
pure-Python evaluator), so that differential checks compare what the backends
derive, nothing else. Outcomes read only the conclusions the firings derived.

derivation: what a backend derived (its firings); verdict: a provision's outcome with
the firings that decided it; deciding: the deciding-set algebra (which unknown facts
could decide an undetermined outcome); evaluator: a case evaluated against a law
(perspectives, divergence from the record).
"""
