"""Prenatal clinic assistant: safety layer, knowledge base, NLU components and tools."""
