"""Demo data: the cyber-dojo organisation of the seed tutorial, loadable into any store."""

from tracegraph.demo.cyber_dojo import DEMO_ORG, load_demo

__all__ = ["DEMO_ORG", "load_demo"]
