#!/usr/bin/env python3
"""The packages as a user's system receives them: cpack builds the .deb and .tar.gz from the install rules,
then each check reads what is inside (file list, Depends, lintian, the desktop entry, AppStream metadata,
manual pages, icons, translations, bash completion, the service's sandbox score) and runs the packaged
programs. Installing into a clean Debian root is installers/try-package.sh's job (debootstrap, not CI).

usage: check_package.py BUILD_DIR CPACK VERSION
"""
import os
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import unittest

BUILD, CPACK, VERSION = sys.argv[1:4] if len(sys.argv) >= 4 else (None, None, None)
WORK = tempfile.mkdtemp(prefix="maas-package-")
DEB = TGZ = ROOT = None


def run(argv, **kwargs):
    return subprocess.run(argv, capture_output=True, text=True, timeout=600, **kwargs)


def setUpModule():
    global DEB, TGZ, ROOT
    made = run([CPACK, "--config", os.path.join(BUILD, "CPackConfig.cmake"), "-G", "DEB;TGZ", "-B", WORK])
    if made.returncode != 0:
        raise RuntimeError("cpack failed:\n" + made.stdout + made.stderr)
    DEB = os.path.join(WORK, f"maas-workbench_{VERSION}_amd64.deb")
    TGZ = os.path.join(WORK, f"maas-workbench-{VERSION}-Linux.tar.gz")
    ROOT = os.path.join(WORK, "root")
    subprocess.run(["dpkg-deb", "-x", DEB, ROOT], check=True)


def tearDownModule():
    shutil.rmtree(WORK, ignore_errors=True)


def packaged(path):
    return os.path.join(ROOT, path.lstrip("/"))


def read(path):
    with open(packaged(path), encoding="utf-8") as f:
        return f.read()


def program_env():
    return dict(os.environ, PATH=packaged("/usr/bin") + ":" + os.environ["PATH"], MAAS_LANGUAGE="en",
                HOME=os.path.join(WORK, "home"), QT_QPA_PLATFORM="offscreen")


EXPECTED = [
    "/usr/bin/maas", "/usr/bin/maas-serve", "/usr/bin/maas-workbench",
    "/usr/share/applications/maas-workbench.desktop",
    "/usr/share/metainfo/org.maasworkbench.MaasWorkbench.metainfo.xml",
    "/usr/share/icons/hicolor/scalable/apps/maas-workbench.svg",
    "/usr/share/maas-workbench/translations/maas_zh_CN.qm",
    "/usr/share/man/man1/maas.1.gz", "/usr/share/man/man1/maas-serve.1.gz",
    "/usr/share/man/man1/maas-workbench.1.gz",
    "/usr/share/bash-completion/completions/maas",
    "/usr/lib/systemd/system/maas-serve.service",
    "/usr/share/maas-workbench/maas-serve.default",
    "/usr/share/doc/maas-workbench/copyright", "/usr/share/doc/maas-workbench/changelog.gz",
] + [f"/usr/share/icons/hicolor/{s}x{s}/apps/maas-workbench.png" for s in (16, 22, 24, 32, 48, 64, 128, 256, 512)]


class Package(unittest.TestCase):
    def test_file_list(self):
        listing = run(["dpkg-deb", "-c", DEB]).stdout
        files = {line.split()[-1].lstrip(".") for line in listing.splitlines() if not line.startswith("d")}
        for path in EXPECTED:
            self.assertIn(path, files)
        # Only what a user needs: no benchmarks, tests, build paths or files outside /usr.
        extra = {f for f in files if f not in EXPECTED}
        self.assertEqual(extra, set(), "files nobody asked for are in the package")

    def test_tarball_has_the_same_files(self):
        with tarfile.open(TGZ) as tgz:
            names = {"/usr/" + n.split("/", 1)[1] for n in tgz.getnames() if "/" in n and not tgz.getmember(n).isdir()}
        self.assertEqual(names, set(EXPECTED))

    def test_depends(self):
        fields = run(["dpkg-deb", "-f", DEB, "Package", "Version", "Depends", "Recommends"]).stdout
        self.assertIn(f"Version: {VERSION}\n", fields)
        depends = re.search(r"^Depends: (.*)$", fields, re.M).group(1)
        names = {alt.split()[0] for dep in depends.split(",") for alt in dep.split("|")}
        # From the binaries (dpkg-shlibdeps) ...
        for lib in ("libtorch1.13", "libqt6widgets6", "libqt6charts6", "libqt6sql6", "libqt6svg6", "libqt6keychain1",
                    "libgvc6", "libssl3", "libcpp-httplib0.11", "libstdc++6"):
            self.assertIn(lib, names)
        # ... and what no library scan sees.
        for need in ("libopenblas0", "libqt6sql6-sqlite", "qt6-qpa-plugins", "adduser"):
            self.assertIn(need, names)
        self.assertIn("qt6-translations-l10n", fields)

    def test_lintian_finds_no_errors(self):
        found = run(["lintian", "--no-tag-display-limit", DEB])
        errors = [line for line in found.stdout.splitlines() if line.startswith("E:")]
        self.assertEqual(errors, [], found.stdout)
        self.assertIn(found.returncode, (0, 1, 2), found.stderr)  # 2: warnings only

    def test_maintainer_scripts_parse(self):
        control = os.path.join(WORK, "control")
        subprocess.run(["dpkg-deb", "-e", DEB, control], check=True)
        for script in ("postinst", "prerm", "postrm"):
            path = os.path.join(control, script)
            self.assertTrue(os.access(path, os.X_OK), script)
            self.assertEqual(run(["sh", "-n", path]).returncode, 0, script)
        # Purge, and only purge, deletes the service's data; a removal keeps it.
        with open(os.path.join(control, "postrm"), encoding="utf-8") as f:
            postrm = f.read()
        self.assertRegex(postrm, r'if \[ "\$1" = purge \]; then\n\s+rm -rf /var/lib/maas\n')
        self.assertEqual(postrm.count("rm -rf"), 1)


class DesktopFiles(unittest.TestCase):
    def test_desktop_entry_validates(self):
        checked = run(["desktop-file-validate", packaged("/usr/share/applications/maas-workbench.desktop")])
        self.assertEqual(checked.returncode, 0, checked.stdout + checked.stderr)
        self.assertEqual(checked.stdout.strip(), "", "hints or warnings from desktop-file-validate")

    def test_appstream_metadata_validates(self):
        checked = run(["appstreamcli", "validate", "--no-net",
                       packaged("/usr/share/metainfo/org.maasworkbench.MaasWorkbench.metainfo.xml")])
        self.assertEqual(checked.returncode, 0, checked.stdout + checked.stderr)
        text = read("/usr/share/metainfo/org.maasworkbench.MaasWorkbench.metainfo.xml")
        self.assertIn(f'<release version="{VERSION}"', text)

    def test_icons_have_their_sizes(self):
        for size in (16, 22, 24, 32, 48, 64, 128, 256, 512):
            with open(packaged(f"/usr/share/icons/hicolor/{size}x{size}/apps/maas-workbench.png"), "rb") as png:
                head = png.read(24)
            self.assertEqual(head[:8], b"\x89PNG\r\n\x1a\n")
            self.assertEqual(struct.unpack(">II", head[16:24]), (size, size))

    def test_translation_is_a_qt_catalogue(self):
        with open(packaged("/usr/share/maas-workbench/translations/maas_zh_CN.qm"), "rb") as qm:
            self.assertEqual(qm.read(16), bytes.fromhex("3cb86418caef9c95cd211cbf60a1bddd"))

    def test_manual_pages_render_without_warnings(self):
        for program, must in (("maas", ["publish", "--to", "ENVIRONMENT"]), ("maas-serve", ["--tokens", "FILES"]),
                              ("maas-workbench", ["MAAS_DATA_DIR"])):
            shown = run(["man", "--warnings", "-l", packaged(f"/usr/share/man/man1/{program}.1.gz")],
                        env=dict(os.environ, MANWIDTH="100", LC_ALL="C.UTF-8", MAN_KEEP_FORMATTING="0"))
            self.assertEqual(shown.returncode, 0, shown.stderr)
            self.assertEqual(shown.stderr.strip(), "", f"{program}.1: {shown.stderr}")
            plain = re.sub(r".\x08", "", shown.stdout).replace("‐", "-")
            self.assertRegex(plain, rf"NAME\n\s+{program}\s+- ")
            for word in must:
                self.assertIn(word, plain, program)


class Programs(unittest.TestCase):
    def test_versions_come_from_cmake(self):
        for program in ("maas", "maas-serve", "maas-workbench"):
            shown = run([packaged(f"/usr/bin/{program}"), "--version"], env=program_env())
            self.assertEqual(shown.returncode, 0, shown.stderr)
            self.assertIn(f"{program} {VERSION}", shown.stdout.replace("MaaS Workbench", "maas-workbench"))

    def test_binaries_are_stripped(self):
        for program in ("maas", "maas-serve", "maas-workbench"):
            sections = run(["readelf", "-S", packaged(f"/usr/bin/{program}")]).stdout
            self.assertNotIn(".debug_info", sections, program)
            self.assertNotIn(".symtab", sections, program)

    def test_bash_completion(self):
        script = f"""
            source {packaged('/usr/share/bash-completion/completions/maas')}
            t() {{ COMP_WORDS=("$@"); COMP_CWORD=$((${{#COMP_WORDS[@]}}-1)); COMPREPLY=(); _maas; echo "${{COMPREPLY[*]}}"; }}
            t maas pu; t maas endpoint ""; t maas publish --t; t maas remote infer --on ""
        """
        done = run(["bash", "-c", script], env=program_env())
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout.splitlines(),
                         ["publish", "add list remove test stop", "--threads --to", "local"])


class Service(unittest.TestCase):
    UNIT = "/usr/lib/systemd/system/maas-serve.service"

    def test_sandbox_scores_two_or_lower(self):
        shown = run(["systemd-analyze", "security", "--offline=yes", "--no-pager", packaged(self.UNIT)])
        score = re.search(r"Overall exposure level for maas-serve.service: ([0-9.]+)", shown.stdout)
        self.assertIsNotNone(score, shown.stdout + shown.stderr)
        self.assertLessEqual(float(score.group(1)), 2.0, shown.stdout)

    def test_runs_as_its_own_user_with_its_state_folder(self):
        unit = read(self.UNIT)
        for line in ("User=maas", "StateDirectory=maas maas/repository", "ProtectSystem=strict", "ProtectHome=yes",
                     "PrivateTmp=yes", "NoNewPrivileges=yes", "CapabilityBoundingSet=\n"):
            self.assertIn(line, unit)
        self.assertRegex(unit, r"ExecStart=/usr/bin/maas-serve --repository /var/lib/maas/repository ")
        defaults = read("/usr/share/maas-workbench/maas-serve.default")
        self.assertIn('MAAS_SERVE_OPTIONS="--host 127.0.0.1 ', defaults)  # loopback unless changed

    def test_packaged_server_takes_the_default_options(self):
        # The options file's line, as systemd would split it, is accepted by the packaged maas-serve.
        defaults = read("/usr/share/maas-workbench/maas-serve.default")
        options = re.search(r'^MAAS_SERVE_OPTIONS="(.*)"$', defaults, re.M).group(1).split()
        options = [o if o != "8000" else "0" for o in options]
        repository = os.path.join(WORK, "repository")
        os.makedirs(repository, exist_ok=True)
        server = subprocess.Popen([packaged("/usr/bin/maas-serve"), "--repository", repository] + options,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=program_env())
        try:
            lines = []
            while not lines or (lines[-1] and "127.0.0.1:" not in lines[-1] and len(lines) < 20):
                lines.append(server.stdout.readline())
            self.assertRegex(lines[-1], r"listening on .*127\.0\.0\.1:\d+", lines)
        finally:
            server.terminate()
            self.assertEqual(server.wait(timeout=60), 0)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
