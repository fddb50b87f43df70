"""Build the optional compiled fast paths (detector/_fast/*.pyx); metadata is in pyproject.toml.

A failed compile (no C compiler, no Cython) is reported and skipped: the package then runs
on its pure-Python reference code, only slower.
"""

import sys

from setuptools import setup
from setuptools.command.build_ext import build_ext


class OptionalBuildExt(build_ext):
    def run(self):
        try:
            super().run()
        except Exception as exc:  # noqa: BLE001 - any build failure leaves pure Python
            print(f"detector: compiled fast paths not built ({exc}); using pure Python",
                  file=sys.stderr)

    def build_extension(self, ext):
        try:
            super().build_extension(ext)
        except Exception as exc:  # noqa: BLE001
            print(f"detector: {ext.name} not built ({exc}); using pure Python",
                  file=sys.stderr)


def extensions():
    try:
        from Cython.Build import cythonize
    except ImportError:
        print("detector: Cython missing; compiled fast paths not built", file=sys.stderr)
        return []
    from setuptools import Extension

    names = ("forest", "walk", "features", "wordchoice", "keywords")
    exts = [Extension(f"detector._fast.{name}", [f"detector/_fast/{name}.pyx"],
                      extra_compile_args=["-O2", "-ffp-contract=off"]) for name in names]
    return cythonize(exts, language_level=3, quiet=True)


setup(ext_modules=extensions(), cmdclass={"build_ext": OptionalBuildExt})
