"""The bundled sandbox: the five platform APIs, simulated for every account in the registry.

Start it with `python -m pipelines.sandbox`, or in-process with `start_sandbox(...)`; the contract it
serves is `pipelines/sandbox/API.md`.
"""

from pipelines.sandbox.config import RateLimit, SandboxConfig
from pipelines.sandbox.runner import SandboxHandle, start_sandbox
from pipelines.sandbox.world import EPOCH, World

__all__ = ["EPOCH", "RateLimit", "SandboxConfig", "SandboxHandle", "World", "start_sandbox"]
