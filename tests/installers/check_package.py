#!/usr/bin/env python3
"""The packages as a user's system receives them: cpack builds the .deb and .tar.gz from the install rules,
then each check reads what is inside (file list, Depends, lintian, the desktop entry, AppStream metadata,
manual pages, icons, translations, bash completion, the service's sandbox score) and runs the packaged
programs. Installing into a clean Debian root is installers/try-package.sh's job (debootstrap, not CI).

usage: check_package.py BUILD_DIR CPACK VERSION FIXTURES_DIR
"""
import errno
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import unittest
import urllib.request

BUILD, CPACK, VERSION, FIXTURES = sys.argv[1:5] if len(sys.argv) >= 5 else (None,) * 4
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
    "/usr/share/doc/maas-workbench/copyright", "/usr/share/doc/maas-workbench/changelog.gz",
] + [f"/usr/share/icons/hicolor/{s}x{s}/apps/maas-workbench.png" for s in (16, 22, 24, 32, 48, 64, 128, 256, 512)]
# The service is the .deb's alone: its unit names /usr/bin/maas-serve and a user postinst makes.
SERVICE = ["/usr/lib/systemd/system/maas-serve.service", "/usr/share/maas-workbench/maas-serve.default"]


def allowed_system_calls(unit):
    """The system calls a unit's SystemCallFilter= lines allow, its groups expanded by systemd-analyze."""
    def expand(name):
        if not name.startswith("@"):
            return {name}
        listed = run(["systemd-analyze", "syscall-filter", "--no-pager", name]).stdout.splitlines()[1:]
        return set().union(*(expand(l.strip()) for l in listed if l.strip() and not l.strip().startswith("#")))

    allowed = set()
    for value in re.findall(r"^SystemCallFilter=(.*)$", unit, re.M):
        names = set().union(*(expand(n) for n in value.lstrip("~").split()))
        allowed = allowed - names if value.startswith("~") else allowed | names
    return allowed


def wait_for_port(server):
    """The port a maas-serve prints once it listens (it logs a line or two before)."""
    for _ in range(20):
        line = server.stdout.readline()
        found = re.search(r"listening on .*127\.0\.0\.1:(\d+)", line)
        if found:
            return int(found.group(1))
        if not line:
            break
    raise AssertionError("maas-serve did not start listening")


def infer_zeros(port, model):
    """An inference request of zeros shaped as the model's metadata says (batch 1)."""
    base = f"http://127.0.0.1:{port}/v2/models/{model}"
    with urllib.request.urlopen(base, timeout=60) as answer:
        first = json.load(answer)["inputs"][0]
    shape = [1 if d < 0 else d for d in first["shape"]]
    size = 1
    for d in shape:
        size *= d
    body = {"inputs": [{"name": first["name"], "datatype": first["datatype"], "shape": shape, "data": [0] * size}]}
    request = urllib.request.Request(base + "/infer", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    return urllib.request.urlopen(request, timeout=60)


class Package(unittest.TestCase):
    def test_file_list(self):
        listing = run(["dpkg-deb", "-c", DEB]).stdout
        files = {line.split()[-1].lstrip(".") for line in listing.splitlines() if not line.startswith("d")}
        for path in EXPECTED + SERVICE:
            self.assertIn(path, files)
        # Only what a user needs: no benchmarks, tests, build paths or files outside /usr.
        extra = {f for f in files if f not in EXPECTED + SERVICE}
        self.assertEqual(extra, set(), "files nobody asked for are in the package")

    def test_tarball_has_the_programs_without_the_service(self):
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
        found = run(["lintian", "--no-tag-display-limit", "--fail-on", "error", DEB])
        errors = [line for line in found.stdout.splitlines() if line.startswith("E:")]
        self.assertEqual(errors, [], found.stdout)
        self.assertEqual(found.returncode, 0, found.stdout + found.stderr)  # 1 is lintian failing to run

    def test_maintainer_scripts_parse(self):
        control = os.path.join(WORK, "control")
        subprocess.run(["dpkg-deb", "-e", DEB, control], check=True)
        for script in ("postinst", "prerm", "postrm"):
            path = os.path.join(control, script)
            self.assertTrue(os.access(path, os.X_OK), script)
            self.assertEqual(run(["sh", "-n", path]).returncode, 0, script)
        # Purge, and only purge, deletes the service's data; a removal keeps it.
        with open(os.path.join(control, "postrm"), encoding="utf-8") as f:
            before, purge = f.read().split('if [ "$1" = purge ]; then\n', 1)
        self.assertNotIn("rm ", before)
        purge_branch = purge.split("\nfi\n", 1)[0]
        self.assertIn("rm -rf", purge_branch)
        self.assertNotIn("rm ", purge.split("\nfi\n", 1)[1])


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
        for line in ("User=maas-serve\n", "StateDirectory=maas maas/repository", "ProtectSystem=strict", "ProtectHome=yes",
                     "PrivateTmp=yes", "NoNewPrivileges=yes", "CapabilityBoundingSet=\n"):
            self.assertIn(line, unit)
        self.assertRegex(unit, r"ExecStart=/usr/bin/maas-serve --repository /var/lib/maas/repository ")
        defaults = read("/usr/share/maas-workbench/maas-serve.default")
        self.assertIn('MAAS_SERVE_OPTIONS="--host 127.0.0.1 ', defaults)  # loopback unless changed

    def test_server_serves_under_the_units_system_call_filter(self):
        # systemd is not PID 1 here, so the unit cannot start; its system call filter, the setting that
        # could break LibTorch, is applied to the packaged server by libseccomp as systemd would apply
        # it (the same groups, expanded by systemd-analyze; EPERM for the rest). The server then loads
        # a float and an int8 model and answers for both.
        try:
            import seccomp
        except ImportError:
            self.skipTest("python3-seccomp is missing (scripts/setup-debian.sh installs it)")
        allowed = allowed_system_calls(read(self.UNIT))
        self.assertIn("read", allowed)
        self.assertNotIn("setrlimit", allowed)  # @resources is taken out

        def apply_filter():
            rules = seccomp.SyscallFilter(defaction=seccomp.ERRNO(errno.EPERM))
            for name in allowed:
                try:
                    rules.add_rule(seccomp.ALLOW, name)
                except (RuntimeError, ValueError):
                    pass  # not a system call on this architecture
            rules.load()

        # The filter is really in force: a call it leaves out fails.
        refused = run([sys.executable, "-c", "import os; os.sched_setaffinity(0, {0})"], preexec_fn=apply_filter)
        self.assertIn("Operation not permitted", refused.stderr)
        repository = os.path.join(WORK, "filtered")
        for name, source in (("mlp", os.path.join(FIXTURES, "mlp.pt")), ("mlp_int8", None)):
            os.makedirs(os.path.join(repository, name, "1"))
            target = os.path.join(repository, name, "1", "model.pt")
            if source:
                shutil.copy(source, target)
            else:
                made = run([packaged("/usr/bin/maas"), "quantize", os.path.join(FIXTURES, "mlp.pt"), "-o", target],
                           env=program_env())
                self.assertEqual(made.returncode, 0, made.stderr)
        server = subprocess.Popen([packaged("/usr/bin/maas-serve"), "--repository", repository, "--port", "0"],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=program_env(),
                                  preexec_fn=apply_filter)
        try:
            port = wait_for_port(server)
            for name in ("mlp", "mlp_int8"):
                self.assertEqual(infer_zeros(port, name).status, 200, name)
        finally:
            server.terminate()
            self.assertEqual(server.wait(timeout=60), 0, server.stdout.read())
            server.stdout.close()

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
            wait_for_port(server)
        finally:
            server.terminate()
            self.assertEqual(server.wait(timeout=60), 0)
            server.stdout.close()


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
