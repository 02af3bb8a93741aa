"""The PEP 517 build backend of `pip install .` (pyproject.toml): CMake builds the `_mercato`
module, and the package folder CMake makes (<build>/python/mercato, docs/python.md) becomes a
wheel for this interpreter. No network and no build-time packages beyond the standard library.

MERCATO_CMAKE_BUILD_DIR reuses an existing build tree (default: <project>/build/pip);
CMAKE_BUILD_PARALLEL_LEVEL sets the jobs (default: every core).
"""

import base64
import hashlib
import os
import pathlib
import subprocess
import sys
import sysconfig
import tomllib
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
DEBIAN_PYTHON = "/usr/bin/python3"


def _project():
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]


def _build_package():
    """Runs CMake and returns the folder holding the built `mercato` package."""
    build_dir = pathlib.Path(os.environ.get("MERCATO_CMAKE_BUILD_DIR", ROOT / "build" / "pip"))
    configure = ["cmake", "-S", str(ROOT), "-B", str(build_dir), "-DMERCATO_BUILD_PYTHON=ON"]
    if not (build_dir / "CMakeCache.txt").exists():
        configure += ["-DCMAKE_BUILD_TYPE=Release", "-DMERCATO_BUILD_TESTS=OFF",
                      "-DMERCATO_BUILD_BENCH=OFF"]
    # The module must match the interpreter installing it (a venv of Debian's python3 runs the
    # same interpreter, so the default is kept and an existing tree is reused as it is).
    if os.path.realpath(sys.executable) != os.path.realpath(DEBIAN_PYTHON):
        configure.append(f"-DMERCATO_PYTHON_INTERPRETER={sys.executable}")
    # pip captures the output; CMake's goes to stderr so a failure shows it.
    subprocess.check_call(configure, stdout=sys.stderr)
    jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 1))
    subprocess.check_call(["cmake", "--build", str(build_dir), "--target", "_mercato", "-j", jobs],
                          stdout=sys.stderr)
    return build_dir / "python" / "mercato"


def _tag():
    version = f"{sys.version_info.major}{sys.version_info.minor}"
    platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    return f"cp{version}-cp{version}-{platform}"


def _metadata(project):
    lines = ["Metadata-Version: 2.1", f"Name: {project['name']}",
             f"Version: {project['version']}", f"Summary: {project['description']}",
             f"Requires-Python: {project['requires-python']}"]
    lines += [f"Requires-Dist: {d}" for d in project.get("dependencies", [])]
    for extra, deps in project.get("optional-dependencies", {}).items():
        lines.append(f"Provides-Extra: {extra}")
        lines += [f'Requires-Dist: {d}; extra == "{extra}"' for d in deps]
    return "\n".join(lines) + "\n"


def _record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def get_requires_for_build_wheel(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    project = _project()
    package = _build_package()
    name, version = project["name"], project["version"]
    dist_info = f"{name}-{version}.dist-info"
    wheel_name = f"{name}-{version}-{_tag()}.whl"
    files = []
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            files.append((f"mercato/{path.relative_to(package).as_posix()}", path.read_bytes()))
    files.append((f"{dist_info}/METADATA", _metadata(project).encode()))
    files.append((f"{dist_info}/WHEEL", (
        "Wheel-Version: 1.0\nGenerator: mercato build_backend\nRoot-Is-Purelib: false\n"
        f"Tag: {_tag()}\n").encode()))
    record = [_record_line(n, d) for n, d in files] + [f"{dist_info}/RECORD,,"]
    files.append((f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode()))
    with zipfile.ZipFile(pathlib.Path(wheel_directory) / wheel_name, "w",
                         zipfile.ZIP_DEFLATED) as wheel:
        for n, d in files:
            info = zipfile.ZipInfo(n, date_time=(2025, 1, 1, 0, 0, 0))
            # The module must stay executable once installed.
            info.external_attr = (0o755 if n.endswith(".so") else 0o644) << 16
            wheel.writestr(info, d, zipfile.ZIP_DEFLATED)
    return wheel_name
