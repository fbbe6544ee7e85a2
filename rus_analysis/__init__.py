"""Analysis package for the follow-up of Region Örebro län's regional development strategy."""

import importlib
import importlib.abc
import importlib.util
import sys

__version__ = "0.1.0"

# Import paths that notebooks written before the layout by phase still use (e.g. the notebooks
# in ../shared/cases/papermill-kernelspec: `from rus_analysis.chapter import open_report`).
# Resolved lazily, so `import rus_analysis` stays cheap.
MOVED_MODULES = {"rus_analysis.chapter": "rus_analysis.report.chapter"}


class _MovedModuleFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path=None, target=None):  # noqa: ANN001, ANN201 - importlib API
        if fullname in MOVED_MODULES:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):  # noqa: ANN001, ANN201
        return importlib.import_module(MOVED_MODULES[spec.name])

    def exec_module(self, module):  # noqa: ANN001, ANN201
        pass


if not any(isinstance(f, _MovedModuleFinder) for f in sys.meta_path):
    sys.meta_path.append(_MovedModuleFinder())
