"""Safety layer: finds red-flag symptoms in a message, whatever the NLU model predicts."""
from bot.safety.detector import Detection, Finding, RedFlagDetector, get_detector

__all__ = ["Detection", "Finding", "RedFlagDetector", "get_detector"]
