"""The local chain: engines, crash-safe state checkpoints, the supervisor and its management."""

from govchain.chain.node.local import EphemeralNode, LocalNode, NodeStatus, StartResult

__all__ = ["EphemeralNode", "LocalNode", "NodeStatus", "StartResult"]
