from .pages import HomePage, StandardPage
from .site_settings import PracticeSettings

__all__ = ["HomePage", "PracticeSettings", "StandardPage"]
