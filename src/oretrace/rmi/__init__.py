"""Reading and writing RMI reporting templates (CMRT, EMRT, CRT, AMRT)."""

from oretrace.rmi.model import TemplateKind, TemplateResponse
from oretrace.rmi.reader import read_template

__all__ = ["TemplateKind", "TemplateResponse", "read_template"]
