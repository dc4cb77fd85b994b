"""Build the Station desk installer and check that the built program starts.

    python build_installer.py            # needs: pip install -e ".[build]"

1. Reads the name and version from pyproject.toml.
2. Builds a one-folder program with PyInstaller (one folder, not one file: antivirus programs flag
   one-file bundles), with everything it loads at run time: ``resources/`` (rule catalogue, icons),
   the Alembic migrations, Qt's Chinese translations and qtawesome's fonts, and without the Qt
   modules it does not use. No CJK font is bundled: the notices find the computer's own (Windows'
   SimHei / Microsoft YaHei, Linux's WenQuanYi), which keeps licences and size out of the bundle.
3. Starts the built program once with ``--smoke`` on a new data folder in a temporary directory,
   offscreen; a failure fails the build.
4. On Windows: writes an Inno Setup script and, when ``ISCC`` is installed, makes
   ``StationDesk-<version>-setup.exe``: a per-user install (no administrator needed) with Start-menu
   and desktop shortcuts and an uninstaller that leaves the station's data alone (it lives in
   %LOCALAPPDATA%\\StationDesk, never in the program folder). On Linux: ``StationDesk-<version>-linux-
   <machine>.tar.gz`` with the folder, a ``.desktop`` file and the icon.

It prints the bundle's size and the build time.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
APP = "StationDesk"
TITLE = "党群服务站工作台"
PUBLISHER = "Station desk"
ICON_PNG = ROOT / "resources" / "icons" / "station.png"
ICON_ICO = ROOT / "resources" / "icons" / "station.ico"
# Qt modules the program never loads: left out to keep the bundle small.
UNUSED_QT = ("QtQml", "QtQuick", "QtQuickWidgets", "QtQuickControls2", "QtWebEngineCore", "QtWebEngineWidgets",
             "QtWebChannel", "QtWebSockets", "QtMultimedia", "QtMultimediaWidgets", "QtPositioning", "QtLocation",
             "QtBluetooth", "QtNfc", "QtSerialPort", "QtSensors", "QtTextToSpeech", "Qt3DCore", "QtCharts",
             "QtDataVisualization", "QtDesigner", "QtHelp", "QtUiTools", "QtSql", "QtTest", "QtNetworkAuth",
             "QtRemoteObjects", "QtScxml", "QtStateMachine", "QtHttpServer", "QtPdf", "QtPdfWidgets")
# Development tools that happen to be installed beside the program.
DEVELOPMENT = ("tkinter", "pytest", "_pytest", "pytestqt", "hypothesis", "PyInstaller", "mypy", "ast_serialize",
               "pypdf", "ruff")
INNO_LOCATIONS = (r"C:\Program Files (x86)\Inno Setup 6\ISCC.exe", r"C:\Program Files\Inno Setup 6\ISCC.exe")


def project_metadata() -> tuple[str, str]:
    """(name, version) from pyproject.toml."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]

    with open(ROOT / "pyproject.toml", "rb") as file:
        project = tomllib.load(file)["project"]
    return project["name"], project["version"]


def version_file(version: str, work: Path) -> Path:
    """The Windows version resource (文件属性 → 详细信息) PyInstaller embeds in the .exe."""
    numbers = [int(part) for part in version.split(".")[:3] if part.isdigit()] + [0, 0, 0, 0]
    quad = tuple(numbers[:4])
    text = f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={quad}, prodvers={quad}, mask=0x3f, flags=0x0, OS=0x40004, fileType=0x1,
                    subtype=0x0, date=(0, 0)),
  kids=[StringFileInfo([StringTable('080404b0', [
      StringStruct('CompanyName', '{PUBLISHER}'), StringStruct('FileDescription', '{TITLE}'),
      StringStruct('FileVersion', '{version}'), StringStruct('InternalName', '{APP}'),
      StringStruct('OriginalFilename', '{APP}.exe'), StringStruct('ProductName', '{TITLE}'),
      StringStruct('ProductVersion', '{version}')])]),
        VarFileInfo([VarStruct('Translation', [2052, 1200])])])
"""
    path = work / "version-info.txt"
    work.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def build(dist: Path, work: Path, version: str) -> Path:
    """Run PyInstaller; the one-folder program."""
    try:
        import PyInstaller.__main__ as pyinstaller
    except ImportError:
        sys.exit('PyInstaller is not installed: run  pip install -e ".[build]"  first.')
    separator = os.pathsep
    arguments = [
        str(ROOT / "station" / "__main__.py"),
        "--name", APP,
        "--onedir",
        "--windowed",
        "--noconfirm",
        "--clean",
        "--log-level", "WARN",
        "--distpath", str(dist),
        "--workpath", str(work),
        "--specpath", str(work),
        "--icon", str(ICON_ICO),
        # Alembic reads the migration scripts from disk; the rule catalogue and icons are data.
        "--add-data", f"{ROOT / 'db' / 'migrations'}{separator}db/migrations",
        "--add-data", f"{ROOT / 'resources'}{separator}resources",
        "--collect-data", "qtawesome",
        "--collect-submodules", "alembic",
        "--hidden-import", "sqlalchemy.dialects.sqlite",
    ]
    if sys.platform == "win32":
        arguments += ["--version-file", str(version_file(version, work))]
    for module in UNUSED_QT:
        arguments += ["--exclude-module", f"PySide6.{module}"]
    for module in DEVELOPMENT:
        arguments += ["--exclude-module", module]
    pyinstaller.run(arguments)
    folder = dist / APP
    if not folder.is_dir():
        sys.exit(f"PyInstaller did not produce {folder}")
    return folder


def executable(folder: Path) -> Path:
    return folder / (APP + (".exe" if sys.platform == "win32" else ""))


def smoke_test(folder: Path) -> str:
    """Start the built program on a new data folder, offscreen; exit on failure. What it printed."""
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        result = subprocess.run([str(executable(folder)), "--data-dir", data_dir, "--demo", "--smoke"],
                                env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0 or "window shown" not in result.stdout:
        sys.exit(f"The built program did not start (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.stdout.strip()


def bundle_problems(folder: Path) -> list[str]:
    """What the bundle lacks of what the program loads at run time ([] when complete)."""
    wanted = {
        "the migrations": "db/migrations/versions/0001_initial_schema.py",
        "the rule catalogue": "resources/points/default_catalogue.json",
        "the icon": "resources/icons/station.png",
        "Qt's Chinese translations": "qtbase_zh_CN.qm",
        "qtawesome's fonts": "fontawesome5-solid-webfont",
    }
    names = [path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()]
    return [what for what, part in wanted.items() if not any(part in name for name in names)]


def desktop_entry(version: str) -> str:
    return (f"[Desktop Entry]\nType=Application\nName={TITLE}\nName[zh_CN]={TITLE}\nGenericName=Station desk\n"
            f"Comment=小区党群服务站前台工作台 {version}\nExec={APP}/{APP}\nIcon=station-desk\nTerminal=false\n"
            "Categories=Office;\n")


def linux_archive(folder: Path, dist: Path, version: str) -> Path:
    """StationDesk-<version>-linux-x86_64.tar.gz: the folder, a .desktop file, the icon and a short note."""
    archive = dist / f"{APP}-{version}-linux-{platform.machine() or 'x86_64'}.tar.gz"
    with tempfile.TemporaryDirectory() as extra:
        extras = Path(extra)
        (extras / "station-desk.desktop").write_text(desktop_entry(version), encoding="utf-8")
        (extras / "安装说明.txt").write_text(
            f"{TITLE} {version}\n\n解压到任意文件夹后运行 {APP}/{APP}。\n"
            "把 station-desk.desktop 复制到 ~/.local/share/applications/（Exec 和 Icon 改成解压的位置），"
            "station-desk.png 复制到 ~/.local/share/icons/，即可从应用菜单打开。\n"
            "数据保存在 ~/.local/share/StationDesk，升级时解压新版本覆盖程序文件夹即可，数据不受影响。\n",
            encoding="utf-8")
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(folder, arcname=APP)
            tar.add(extras / "station-desk.desktop", arcname="station-desk.desktop")
            tar.add(extras / "安装说明.txt", arcname="安装说明.txt")
            tar.add(ICON_PNG, arcname="station-desk.png")
    return archive


def inno_script(folder: Path, dist: Path, version: str) -> Path:
    """The Inno Setup script of a per-user install; the station's data folder is never touched."""
    script = dist / f"{APP}.iss"
    script.write_text(f"""; Station desk installer, written by build_installer.py
[Setup]
AppId={{{{6B1C2F5E-8A4D-4C8B-9E2A-5D3F7A1B9C40}}
AppName={TITLE}
AppVersion={version}
AppVerName={TITLE} {version}
AppPublisher={PUBLISHER}
DefaultDirName={{autopf}}\\{APP}
DefaultGroupName={TITLE}
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir={dist}
OutputBaseFilename={APP}-{version}-setup
SetupIconFile={ICON_ICO}
UninstallDisplayIcon={{app}}\\{APP}.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763
CloseApplications=yes

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{{cm:CreateDesktopIcon}}"; GroupDescription: "{{cm:AdditionalIcons}}"

[Files]
Source: "{folder}\\*"; DestDir: "{{app}}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{{group}}\\{TITLE}"; Filename: "{{app}}\\{APP}.exe"
Name: "{{group}}\\{{cm:UninstallProgram,{TITLE}}}"; Filename: "{{uninstallexe}}"
Name: "{{autodesktop}}\\{TITLE}"; Filename: "{{app}}\\{APP}.exe"; Tasks: desktopicon

[Run]
Filename: "{{app}}\\{APP}.exe"; Description: "{{cm:LaunchProgram,{TITLE}}}"; Flags: nowait postinstall skipifsilent

; The station's data is in %LOCALAPPDATA%\\{APP}, outside {{app}}: the uninstaller removes only the program.
""", encoding="utf-8-sig")
    return script


def find_iscc() -> str | None:
    found = shutil.which("ISCC") or shutil.which("iscc")
    return found or next((path for path in INNO_LOCATIONS if Path(path).is_file()), None)


def folder_size(folder: Path) -> int:
    """Bytes in the folder, each file once (PyInstaller links some libraries in two places)."""
    return sum(path.lstat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build")
    args = parser.parse_args()
    started = time.perf_counter()
    name, version = project_metadata()
    print(f"building {name} {version}")
    if (args.dist / APP).exists():
        shutil.rmtree(args.dist / APP)
    folder = build(args.dist, args.work, version)
    built = time.perf_counter() - started
    missing = bundle_problems(folder)
    if missing:
        sys.exit(f"The bundle lacks {', '.join(missing)}")
    print(f"smoke test passed: {smoke_test(folder)}")
    print(f"bundle {folder}: {folder_size(folder) / 2**20:.0f} MB, built in {built:.0f} s")
    if sys.platform == "win32":
        script = inno_script(folder, args.dist, version)
        iscc = find_iscc()
        if iscc is None:
            print(f"Inno Setup script written: {script}\n"
                  "ISCC (Inno Setup 6) is not installed: get it from https://jrsoftware.org/isdl.php, then run\n"
                  f'  ISCC "{script}"\nor this script again.')
            return
        subprocess.run([iscc, "/Q", str(script)], check=True)
        setup = args.dist / f"{APP}-{version}-setup.exe"
        print(f"installer {setup}: {setup.stat().st_size / 2**20:.0f} MB")
    else:
        archive = linux_archive(folder, args.dist, version)
        print(f"archive {archive}: {archive.stat().st_size / 2**20:.0f} MB")
    print(f"done in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
